/**
 * The `brightrun` command line. The only place that calls `process.exit`.
 * Commands are lazy so `brightrun --help` does not load the database drivers.
 * The same `runCli` runs a command the CLI forwarded to the server (src/cli/run-in-server.ts):
 * everything it prints goes through ./output, which knows where the command's output belongs.
 */
import { defineCommand, renderUsage, runCommand, type CommandDef } from "citty";
import { isAppError } from "../core/errors";
import { ForwardToServer, forwardToServer } from "./forward-to-server";
import { exitCodeSoFar, writeStderr, writeStdout } from "./output";
import { SYSTEM_VERSION } from "./version";

export const main = defineCommand({
  meta: { name: "brightrun", version: SYSTEM_VERSION, description: "Turn your knowledge into reviewed LoRA fine-tuning conversations." },
  subCommands: {
    init: () => import("./commands/init").then((m) => m.default),
    workspaces: () => import("./commands/workspaces").then((m) => m.default),
    import: () => import("./commands/import").then((m) => m.default),
    documents: () => import("./commands/documents").then((m) => m.default),
    scenarios: () => import("./commands/scenarios").then((m) => m.default),
    seeds: () => import("./commands/seeds").then((m) => m.default),
    templates: () => import("./commands/templates").then((m) => m.default),
    taxonomy: () => import("./commands/taxonomy").then((m) => m.default),
    plan: () => import("./commands/plan").then((m) => m.default),
    generate: () => import("./commands/generate").then((m) => m.default),
    review: () => import("./commands/review").then((m) => m.default),
    delete: () => import("./commands/delete").then((m) => m.default),
    export: () => import("./commands/export").then((m) => m.default),
    status: () => import("./commands/status").then((m) => m.default),
    coverage: () => import("./commands/coverage").then((m) => m.default),
    demo: () => import("./commands/demo").then((m) => m.default),
    runs: () => import("./commands/runs").then((m) => m.default),
    worker: () => import("./commands/worker").then((m) => m.default),
    quality: () => import("./commands/quality").then((m) => m.default),
    judge: () => import("./commands/judge").then((m) => m.default),
    retention: () => import("./commands/retention").then((m) => m.default),
    users: () => import("./commands/users").then((m) => m.default),
    email: () => import("./commands/email").then((m) => m.default),
  },
});

/** The command (and its parent) that `rawArgs` names, following nested sub-commands ("runs show"). */
async function resolveCommand(rawArgs: string[]): Promise<{ cmd: CommandDef; parent?: CommandDef }> {
  let cmd = main as CommandDef;
  let parent: CommandDef | undefined;
  for (const word of rawArgs.filter((a) => !a.startsWith("-"))) {
    const subCommands = (await (typeof cmd.subCommands === "function" ? cmd.subCommands() : cmd.subCommands)) ?? {};
    const entry = subCommands[word];
    if (!entry) break;
    parent = cmd;
    cmd = (await (typeof entry === "function" ? entry() : entry)) as CommandDef;
  }
  return { cmd, parent };
}

/**
 * Runs the CLI with `rawArgs` and returns the exit code (0 ok, 1 error, 2 finished with failures).
 * Errors are printed in plain English; unexpected ones with their stack for a bug report.
 * A command that finds the embedded database held by the running server is sent to it, and its
 * exit code is the server's (src/cli/forward-to-server.ts).
 */
export async function runCli(rawArgs: string[]): Promise<number> {
  try {
    if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
      const { cmd, parent } = await resolveCommand(rawArgs);
      writeStdout(`${await renderUsage(cmd, parent)}\n`);
      return 0;
    }
    if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
      writeStdout(`${SYSTEM_VERSION}\n`);
      return 0;
    }
    const sub = rawArgs.find((a) => !a.startsWith("-"));
    const subCommands = (await (typeof main.subCommands === "function" ? main.subCommands() : main.subCommands)) ?? {};
    if (sub && !subCommands[sub]) {
      writeStderr(`Unknown command "${sub}". Commands: ${Object.keys(subCommands).join(", ")}. Run \`brightrun --help\`.\n`);
      return 1;
    }
    await runCommand(main, { rawArgs });
    return exitCodeSoFar();
  } catch (error) {
    if (error instanceof ForwardToServer) return forwardToServer({ argv: rawArgs, forward: error });
    if (isAppError(error)) {
      writeStderr(`Error: ${error.message}\n`);
    } else if (error instanceof Error && error.name === "CLIError") {
      const { cmd, parent } = await resolveCommand(rawArgs);
      writeStderr(`${await renderUsage(cmd, parent)}\n\nError: ${error.message}\n`);
    } else {
      writeStderr(`Unexpected error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    return 1;
  }
}
