#!/usr/bin/env node
// Benchmark (not a test): `npm run bench:demo [-- RUNS]`. Runs `brightrun demo` on a fresh,
// empty data directory RUNS times (default 3) and reports, per run and as the median:
// - wall time of the whole command (process start to exit), ms;
// - generation wall time per conversation: the run's wall time / conversations (throughput view);
// - pipeline overhead per conversation: each conversation's latency minus time inside the
//   provider (model time), averaged, ms, as the demo measures it (includes waiting for the one
//   embedded-database connection while the other concurrent conversations use it);
// - conversations generated.
// Uses whatever provider the environment selects (simulated when no key is set).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 3);
const results = [];
for (let i = 0; i < runs; i++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-bench-demo-"));
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [path.join(root, "bin/brightrun.mjs"), "demo"], {
    cwd: dir,
    env: { ...process.env, BRIGHTRUN_DATA_DIR: path.join(dir, "data"), DATABASE_URL: "" },
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(dir, { recursive: true, force: true });
  if (child.status !== 0) {
    console.error(child.stdout, child.stderr);
    process.exit(1);
  }
  const output = `${child.stdout}\n${child.stderr}`;
  const overhead = /Pipeline overhead per conversation: ([\d.]+) ms \(model time ([\d.]+) ms\)/.exec(output);
  const generated = /: (\d+) generated, (\d+) failed of (\d+)/.exec(output);
  const runTime = /Time: ([\d.]+) s\./.exec(output);
  const perConversationWallMs = (Number(runTime?.[1]) * 1000) / Number(generated?.[3]);
  results.push({ wallMs, overheadMs: Number(overhead?.[1]), modelMs: Number(overhead?.[2]), perConversationWallMs, generated: Number(generated?.[1]), failed: Number(generated?.[2]) });
  console.log(
    `run ${i + 1}: wall ${(wallMs / 1000).toFixed(2)} s; generation ${runTime?.[1]} s for ${generated?.[3]} (${perConversationWallMs.toFixed(1)} ms each at concurrency 3); per-conversation latency overhead ${overhead?.[1]} ms (model ${overhead?.[2]} ms); ${generated?.[1]} generated, ${generated?.[2]} failed`,
  );
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `median of ${runs}: wall ${(median(results.map((r) => r.wallMs)) / 1000).toFixed(2)} s, generation ${median(results.map((r) => r.perConversationWallMs)).toFixed(1)} ms of wall time per conversation, per-conversation latency overhead ${median(results.map((r) => r.overheadMs)).toFixed(1)} ms, model ${median(results.map((r) => r.modelMs)).toFixed(1)} ms/conversation`,
);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
