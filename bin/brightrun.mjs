#!/usr/bin/env node
// Entry point of the `brightrun` command: loads the TypeScript sources through tsx.
import { register } from "node:module";
import { register as registerTsx } from "tsx/esm/api";

// `brightrun runs list | head -1`: a closed pipe is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

register("./brightrun-hooks.mjs", import.meta.url);
registerTsx();
const { runCli } = await import("../src/cli/index.ts");
const code = await runCli(process.argv.slice(2));
process.exit(code);
