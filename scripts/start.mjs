#!/usr/bin/env node
// `npm start`: builds the web app when the build is missing or older than the sources, then runs
// `next start` on $PORT (default 3000). The server's instrumentation hook opens and migrates the
// database, loads the sample workspace on first run and runs the generation worker in the same
// process (src/server/background.ts). Signals are forwarded; the exit code is next start's.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

/** Newest modification time (ms) of a file or, recursively, of the files in a folder. */
function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Why a build is needed, or null when `.next` is up to date. */
function buildReason() {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (!fs.existsSync(buildId)) return "no build yet";
  const built = fs.statSync(buildId).mtimeMs;
  const newest = Math.max(...["src", "next.config.ts", "package.json"].map((p) => newestMtime(path.join(root, p))));
  return newest > built ? "sources changed since the last build" : null;
}

const reason = buildReason();
if (reason) {
  console.log(`[brightrun] Building the web app (${reason})…`);
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: process.env });
  if (build.status !== 0) {
    console.error("[brightrun] next build failed; see above.");
    process.exit(build.status ?? 1);
  }
}

const port = process.env.PORT?.trim() || "3000";
// The server's own shutdown (src/server/background.ts) stops the worker, then closes the database
// and exits 0; Next.js's default handlers would exit first (143) and race it.
const child = spawn(process.execPath, [nextBin, "start", "-p", port], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PORT: port, NEXT_MANUAL_SIG_HANDLE: "true" },
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1) : 1));
});
