/**
 * The CLI beside a running server (docs/cli-beside-the-server.md): with the embedded database the
 * server (`npm start`) holds the data directory's lock, so a command that finds the lock held and
 * the server's local API file there sends its arguments to the server, prints the output as it
 * arrives and ends with the server's exit code. With DATABASE_URL nothing is forwarded.
 *
 * What is sent: the arguments as typed, the working directory (relative paths — `import ./docs`,
 * `export --out exports` — are resolved against it by the server, so files are read from and
 * written where the user expects), the user name (`requireUser` in the server checks it), and the
 * CLI's BRIGHTRUN_WORKSPACE. The server's own environment and Settings page choose the provider,
 * keys and engine settings, as for everything else it runs.
 */
import http from "node:http";
import net from "node:net";
import { AppError } from "../core/errors";
import { localUserName } from "../server/auth";
import { localApiFilePath, localApiServerIsGone, readLocalApiFile, type LocalApiInfo } from "../server/local-api/api-file";
import { FORWARDED_VARIABLES, type ForwardedVariable } from "../server/local-api/cli-session";
import { TOKEN_HEADER, type CliRequest, type CliStreamLine } from "../server/local-api/local-api-server";
import { note, writeStderr, writeStdout } from "./output";

/** Provider and engine variables of the CLI's shell that a forwarded command does not use (the server's apply). */
const SERVER_SIDE_VARIABLES = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL", "BRIGHTRUN_PROVIDER", "BRIGHTRUN_MODEL"] as const;

/** How long the CLI waits for the server's local API to accept a connection before opening the database itself (ms). */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Thrown by `withDatabase` when the embedded database is held by a server with a local API: the
 * command is not run here; `runCli` forwards it. Not an AppError: nothing went wrong.
 */
export class ForwardToServer extends Error {
  constructor(
    readonly server: LocalApiInfo,
    readonly dataDir: string,
    /** The refusal to print when the server does not answer after all. */
    readonly refusal: AppError,
  ) {
    super(`The embedded database in ${dataDir} is held by the Bright Run server at ${server.url}.`);
    this.name = "ForwardToServer";
  }
}

/**
 * The running server of a data directory: its local API file names a process that still runs and
 * whose local API accepts a connection. Checked before the CLI tries the lock at all: a server busy
 * enough to be late refreshing its lock must never see it taken over by a CLI command.
 * @returns null when there is no (valid) file, its server is a process of this host that is gone,
 *   or nothing accepts a connection at its URL within PROBE_TIMEOUT_MS
 */
export async function findRunningServer(dataDir: string): Promise<LocalApiInfo | null> {
  const info = readLocalApiFile(dataDir);
  if (!info || localApiServerIsGone(info)) return null;
  const { hostname, port } = new URL(info.url);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
  return reachable ? info : null;
}

/**
 * The server a locked data directory belongs to, when it left a local API file and still runs
 * (reachable or not: when it does not answer, the forward prints the refusal with what was tried).
 */
export function findServerHoldingDatabase(dataDir: string): LocalApiInfo | null {
  const info = readLocalApiFile(dataDir);
  if (!info || localApiServerIsGone(info)) return null;
  return info;
}

/** The refusal, said again with what was tried. */
function refuse(error: ForwardToServer, why: string): number {
  writeStderr(`Error: ${error.refusal.message}\n`);
  note(`(The server's local API file ${localApiFilePath(error.dataDir)} names ${error.server.url}, but ${why}. If \`npm start\` is starting or stopping, try again in a moment.)`);
  return 1;
}

/**
 * Sends the command to the server and relays its output.
 * @param options.argv the arguments as typed
 * @param options.forward what `withDatabase` found (the server, the data directory, the refusal)
 * @returns the server's exit code; 1 when the server refused or did not answer (the refusal is
 *   printed); 130 when the user pressed Ctrl-C (the server stops following the command; work it
 *   had started, such as a generation run, goes on with its worker)
 */
export function forwardToServer({ argv, forward }: { argv: string[]; forward: ForwardToServer }): Promise<number> {
  const env: Partial<Record<ForwardedVariable, string>> = {};
  for (const name of FORWARDED_VARIABLES) if (process.env[name] !== undefined) env[name] = process.env[name];
  const body: CliRequest = { argv, cwd: process.cwd(), user: localUserName(), env };
  const ignored = SERVER_SIDE_VARIABLES.filter((name) => process.env[name]);
  note(
    `Running in the Bright Run server at ${forward.server.url} (it holds the embedded database in ${forward.dataDir})` +
      (ignored.length ? `; its own settings apply, not this shell's ${ignored.join(", ")}.` : "."),
  );

  return new Promise<number>((resolve) => {
    let settled = false;
    const finish = (code: number) => {
      if (settled) return;
      settled = true;
      process.removeListener("SIGINT", onInterrupt);
      resolve(code);
    };
    const onInterrupt = () => {
      note("\nStopped following the command. The server finishes what it had started: a generation run goes on with its worker (`brightrun runs list`, or the web app).");
      request.destroy();
      finish(130);
    };
    process.once("SIGINT", onInterrupt);

    const payload = JSON.stringify(body);
    const request = http.request(`${forward.server.url}/cli`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), [TOKEN_HEADER]: forward.server.token },
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (!settled) finish(refuse(forward, `it did not answer (${error.code ?? error.message})`));
    });
    request.on("response", (response) => {
      response.setEncoding("utf8");
      if (response.statusCode !== 200) {
        let text = "";
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          let message = text.trim();
          try {
            message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
          } catch {
            // not JSON: the text as it came
          }
          if (response.statusCode === 401) {
            finish(refuse(forward, `the program there refused the file's token (${message}): the file is not the running server's`));
          } else {
            writeStderr(`Error: the Bright Run server at ${forward.server.url} refused the command (HTTP ${response.statusCode}): ${message}\n`);
            finish(1);
          }
        });
        return;
      }
      let buffer = "";
      let exitCode: number | null = null;
      const handle = (line: string) => {
        if (!line.trim()) return;
        let parsed: CliStreamLine;
        try {
          parsed = JSON.parse(line) as CliStreamLine;
        } catch {
          return;
        }
        if (parsed.type === "stdout") writeStdout(parsed.text);
        else if (parsed.type === "stderr") writeStderr(parsed.text);
        else if (parsed.type === "exit") exitCode = parsed.code;
      };
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let newline = buffer.indexOf("\n");
        while (newline >= 0) {
          handle(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf("\n");
        }
      });
      const end = () => {
        if (settled) return;
        handle(buffer);
        buffer = "";
        if (exitCode !== null) return finish(exitCode);
        writeStderr(`Error: the connection to the Bright Run server at ${forward.server.url} ended before the command finished (the server may have stopped). See the server's output; work it had started may have finished or may still be running.\n`);
        finish(1);
      };
      response.on("end", end);
      response.on("close", end);
      response.on("error", end);
    });
    request.end(payload);
  });
}
