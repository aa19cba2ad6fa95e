/**
 * The `brightrun` command line. The only place that calls `process.exit`.
 * Commands are lazy so `brightrun --help` does not load the database drivers.
 */
import { defineCommand, renderUsage, runCommand, type CommandDef } from "citty";
import { isAppError } from "../core/errors";
import { SYSTEM_VERSION } from "./version";

export const main = defineCommand({
  meta: { name: "brightrun", version: SYSTEM_VERSION, description: "Turn your knowledge into reviewed LoRA fine-tuning conversations." },
  subCommands: {
    init: () => import("./commands/init").then((m) => m.default),
    workspaces: () => import("./commands/workspaces").then((m) => m.default),
    import: () => import("./commands/import").then((m) => m.default),
    documents: () => import("./commands/documents").then((m) => m.default),
    plan: () => import("./commands/plan").then((m) => m.default),
    generate: () => import("./commands/generate").then((m) => m.default),
    review: () => import("./commands/review").then((m) => m.default),
    delete: () => import("./commands/delete").then((m) => m.default),
    export: () => import("./commands/export").then((m) => m.default),
    status: () => import("./commands/status").then((m) => m.default),
    demo: () => import("./commands/demo").then((m) => m.default),
    runs: () => import("./commands/runs").then((m) => m.default),
    worker: () => import("./commands/worker").then((m) => m.default),
    quality: () => import("./commands/quality").then((m) => m.default),
    judge: () => import("./commands/judge").then((m) => m.default),
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
 */
export async function runCli(rawArgs: string[]): Promise<number> {
  try {
    if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
      const { cmd, parent } = await resolveCommand(rawArgs);
      process.stdout.write(`${await renderUsage(cmd, parent)}\n`);
      return 0;
    }
    if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
      process.stdout.write(`${SYSTEM_VERSION}\n`);
      return 0;
    }
    const sub = rawArgs.find((a) => !a.startsWith("-"));
    const subCommands = (await (typeof main.subCommands === "function" ? main.subCommands() : main.subCommands)) ?? {};
    if (sub && !subCommands[sub]) {
      process.stderr.write(`Unknown command "${sub}". Commands: ${Object.keys(subCommands).join(", ")}. Run \`brightrun --help\`.\n`);
      return 1;
    }
    await runCommand(main, { rawArgs });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (isAppError(error)) {
      process.stderr.write(`Error: ${error.message}\n`);
    } else if (error instanceof Error && error.name === "CLIError") {
      const { cmd, parent } = await resolveCommand(rawArgs);
      process.stderr.write(`${await renderUsage(cmd, parent)}\n\nError: ${error.message}\n`);
    } else {
      process.stderr.write(`Unexpected error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    return 1;
  }
}
