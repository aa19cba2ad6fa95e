/**
 * Runs a `brightrun` command inside the server that holds the embedded database, for the local API
 * (src/server/local-api/local-api-server.ts; docs/cli-beside-the-server.md). The command runs
 * exactly as in its own process — the same `runCli`, the same argument checks, the same
 * `requireUser` — in a CLI session (src/server/local-api/cli-session.ts) that gives it the
 * server's open database handle and running worker, the CLI user's name, working directory and
 * forwarded variables, and sends what it prints back to the CLI.
 */
import type { DatabaseHandle } from "../server/db/client";
import { runInCliSession, type CliSession } from "../server/local-api/cli-session";
import type { CliRequest } from "../server/local-api/local-api-server";
import type { StartedWorker } from "../server/runs/start-worker";
import { runCli } from "./index";

/**
 * Runs `request.argv` in a CLI session.
 * @param options.worker the server's worker now (null when it runs none)
 * @param options.write where the command's stdout and stderr text goes
 * @param options.signal aborted when the CLI goes away: the command's interrupt (see onInterrupt in ./output)
 * @returns the command's exit code; `brightrun worker` is not run (the server runs the worker) and returns 1
 */
export async function runCliInServer(options: {
  request: CliRequest;
  handle: DatabaseHandle;
  worker: StartedWorker | null;
  write: (stream: "stdout" | "stderr", text: string) => void;
  signal: AbortSignal;
}): Promise<number> {
  const { request, handle, worker, write, signal } = options;
  // The command word as runCli finds it.
  if (request.argv.find((a) => !a.startsWith("-")) === "worker" && !request.argv.includes("--help") && !request.argv.includes("-h")) {
    write(
      "stderr",
      worker
        ? `Error: the Bright Run server that holds the embedded database in ${handle.location} already runs a generation worker: runs you start with \`brightrun generate\` or in the web app are generated there. With the embedded database no second worker can run; to run more workers, use PostgreSQL (DATABASE_URL).\n`
        : `Error: the Bright Run server that holds the embedded database in ${handle.location} runs without its generation worker (BRIGHTRUN_WORKER=0, or it failed to start: see the server's output), and with the embedded database no other process can run one. Restart \`npm start\` without BRIGHTRUN_WORKER=0, or use PostgreSQL (DATABASE_URL) to run workers apart from the server.\n`,
    );
    return 1;
  }
  const session: CliSession = { handle, worker, userName: request.user, cwd: request.cwd, env: request.env, signal, write };
  return runInCliSession(session, () => runCli(request.argv));
}
