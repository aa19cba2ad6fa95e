// Benchmark (not a test): `npm run bench:generate [-- options]` (issue 3, "Generation runs that
// use the provider's whole rate limit").
//
// 1,000 conversations of the financial-planning sample go through the real engine
// (runGeneration → pg-boss → GenerationWorker → generateConversation → Anthropic SDK) against the
// project's fake LLM server (tests/support/fake-llm-server.ts) enforcing requests-per-minute,
// input- and output-tokens-per-minute limits with latency. The fake server runs in a child
// process, so the CPU time measured here is the pipeline's own (engine, database, SDK).
//
// Prints: conversations generated / failed, wall time, achieved conversations per minute against
// the bound set by the tightest limit, the share of requests answered 429, attempts per
// conversation, pipeline CPU ms per conversation, a timeline, and the machine.
//
// Set-ups (issue 8, "no stalls"): `-- --setup=no-headers` — an OpenAI-compatible server that sends
// no rate-limit headers (as vLLM, Ollama, llama.cpp, LM Studio do), answers each request in 1 s and
// takes any number in parallel; 90 conversations (the sample's 40/35/15) at concurrency 8; bound
// 90 ÷ 8 × 1 s. `-- --setup=requests-only` — an Anthropic-compatible gateway that reports only
// anthropic-ratelimit-requests-* (240/min), 1 s a reply; 90 conversations at concurrency 8; bound
// the larger of 90 ÷ 240 min and 90 ÷ 8 × 1 s. Both print the whole run's wall time against it.
//
// Options (all optional): --conversations=1000 --rpm=600 --itpm=2000000 --otpm=450000
//   --reply-tokens=1500 --base-ms=400 --per-token-ms=0.5 --jitter-ms=400 --concurrency=32
//   --timeout-min=15
// Database: in-memory PGlite; with DATABASE_URL set, a fresh database created on that server for
// the run and dropped afterwards.
//
// Run directly: node --conditions=react-server --import tsx bench/generate.ts
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunProgress } from "../src/lib/run-states";
import { describeMachine } from "./support";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE = path.join(ROOT, "examples/financial-planning");
const SERVER_FLAG = "--fake-server";
const SETUPS = ["limits", "no-headers", "requests-only"] as const;
type Setup = (typeof SETUPS)[number];

interface Options {
  conversations: number;
  rpm: number;
  itpm: number;
  otpm: number;
  replyTokens: number;
  baseMs: number;
  perTokenMs: number;
  jitterMs: number;
  concurrency: number;
  timeoutMin: number;
}

interface ServerConfig {
  limits?: { requestsPerMinute?: number; inputTokensPerMinute?: number; outputTokensPerMinute?: number };
  rateLimitHeaders?: boolean;
  latency: { baseMs: number; perOutputTokenMs: number; jitterMs: number };
  replyOutputTokens: number;
}

/** What the child reports at the end: the server's counters plus what the benchmark derives from its records. */
interface ServerReport {
  stats: { requests: number; rateLimited: number; byStatus: Record<number, number> };
  firstRequestAt: number | null;
  lastResponseAt: number | null;
  /** Output tokens of 200 answers (what the server's bucket is finally charged). */
  outputTokens200: number;
  /** Input tokens as the server counts them (JSON body / 4), over admitted (non-429) requests. */
  inputTokensAdmitted: number;
  /** Admitted requests (answered anything but 429). */
  admitted: number;
  served: Array<{ status: number; outputTokens: number; at: number }>;
  rateLimitedAt: number[];
  inFlight: { mean: number; max: number; samples: number };
  cpuMs: number;
}

type ChildMessage = { type: "ready"; url: string } | { type: "report"; report: ServerReport };

function parseOptions(argv: string[]): Options {
  const defaults: Options = {
    conversations: 1000,
    rpm: 600,
    itpm: 2_000_000,
    otpm: 450_000,
    replyTokens: 1500,
    baseMs: 400,
    perTokenMs: 0.5,
    jitterMs: 400,
    concurrency: 32,
    timeoutMin: 15,
  };
  const names: Record<string, keyof Options> = {
    conversations: "conversations",
    rpm: "rpm",
    itpm: "itpm",
    otpm: "otpm",
    "reply-tokens": "replyTokens",
    "base-ms": "baseMs",
    "per-token-ms": "perTokenMs",
    "jitter-ms": "jitterMs",
    concurrency: "concurrency",
    "timeout-min": "timeoutMin",
  };
  const options = { ...defaults };
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.+)$/.exec(arg);
    const key = match ? names[match[1]] : undefined;
    const value = match ? Number(match[2]) : NaN;
    if (!match || !key || !Number.isFinite(value) || value < 0) {
      console.error(`Unknown or invalid option ${arg}. Options: ${Object.keys(names).map((n) => `--${n}=N`).join(" ")}`);
      process.exit(64);
    }
    options[key] = value;
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Child process: the fake provider.

async function serverMain(): Promise<void> {
  const config = JSON.parse(process.argv[process.argv.indexOf(SERVER_FLAG) + 1]) as ServerConfig;
  const { startFakeLlmServer } = await import("../tests/support/fake-llm-server");
  const server = await startFakeLlmServer({ limits: config.limits, latency: config.latency, replyOutputTokens: config.replyOutputTokens, rateLimitHeaders: config.rateLimitHeaders });
  const cpuStart = process.cpuUsage();
  // In flight at the provider: received minus answered (no resets or hangs in this benchmark).
  let samples = 0;
  let sum = 0;
  let max = 0;
  const sampler = setInterval(() => {
    const inFlight = server.requests.length - server.served.length;
    if (server.requests.length === 0) return;
    samples += 1;
    sum += inFlight;
    max = Math.max(max, inFlight);
  }, 50);
  process.on("message", (message: { type: string }) => {
    if (message.type !== "report") return;
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpuStart);
    const admittedRequests = server.requests.filter((r) => r.behaviour !== "rate_limit");
    const report: ServerReport = {
      stats: server.stats(),
      firstRequestAt: server.requests[0]?.receivedAt ?? null,
      lastResponseAt: server.served.at(-1)?.at ?? null,
      outputTokens200: server.served.filter((s) => s.status === 200).reduce((total, s) => total + s.outputTokens, 0),
      // The server's own count: estimateTokens(JSON.stringify(request)) = ceil(length / 4).
      inputTokensAdmitted: admittedRequests.reduce((total, r) => total + Math.max(1, Math.ceil(JSON.stringify(r.body).length / 4)), 0),
      admitted: admittedRequests.length,
      served: server.served.map((s) => ({ status: s.status, outputTokens: s.outputTokens, at: s.at })),
      rateLimitedAt: server.requests.filter((r) => r.behaviour === "rate_limit").map((r) => r.receivedAt),
      inFlight: { mean: samples ? sum / samples : 0, max, samples },
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    process.send?.({ type: "report", report } satisfies ChildMessage, () => {
      void server.close().then(() => process.exit(0));
    });
  });
  process.on("disconnect", () => void server.close().then(() => process.exit(0)));
  process.send?.({ type: "ready", url: server.anthropicBaseUrl } satisfies ChildMessage);
}

function startServerProcess(config: ServerConfig): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [SERVER_FLAG, JSON.stringify(config)], {
    execArgv: ["--conditions=react-server", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`The fake LLM server process exited early (code ${code}).`)));
    child.on("message", (message: ChildMessage) => {
      if (message.type === "ready") resolve({ child, url: message.url });
    });
  });
}

function serverReport(child: ChildProcess): Promise<ServerReport> {
  return new Promise((resolve) => {
    child.on("message", (message: ChildMessage) => {
      if (message.type === "report") resolve(message.report);
    });
    child.send({ type: "report" });
  });
}

// ---------------------------------------------------------------------------------------------
// Parent process: the pipeline.

async function freshPostgres(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { createScratchPostgresDatabase } = await import("../tests/support/test-database");
  return createScratchPostgresDatabase(adminUrl, "brightrun_bench");
}

/** The code measured: HEAD and whether src/ has uncommitted changes (others may be editing it). */
function codeVersion(): string {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return "unknown (not a git checkout)";
  const dirty = git("status", "--porcelain", "--", "src").stdout.trim().split("\n").filter(Boolean).length;
  return `${head.stdout.trim()}${dirty ? ` + uncommitted changes to ${dirty} file(s) under src/` : ""}`;
}

const fmt = (value: number, digits = 1) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (value: number) => Math.round(value).toLocaleString("en-US");
const pct = (value: number, digits = 1) => `${(value * 100).toFixed(digits)} %`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2).filter((a) => !a.startsWith("--setup=")));
  const [{ openDatabase }, { migrateDatabase }, { importPath }, { createPlan }, { generateNow: runGeneration }, { createAnthropicProvider }, { DEFAULT_MODELS }] =
    await Promise.all([
      import("../src/server/db/client"),
      import("../src/server/db/migrate"),
      import("../src/core/import/import-workspace"),
      import("../src/core/planning/create-plan"),
      import("../tests/support/generate-now"),
      import("../src/core/llm/anthropic-provider"),
      import("../src/core/cost/prices"),
    ]);
  const [{ and, eq, isNotNull, ne }, { generationLogs }] = await Promise.all([import("drizzle-orm"), import("../src/server/db/schema")]);

  const started = performance.now();
  const deadline = new AbortController();
  const timeoutMs = options.timeoutMin * 60_000;
  const abortTimer = setTimeout(() => deadline.abort(new Error("benchmark time limit")), timeoutMs);
  // If stopping gracefully hangs too, give up hard a minute later.
  const killTimer = setTimeout(() => {
    console.error(`bench:generate: still not stopped ${options.timeoutMin + 1} min after start; exiting.`);
    process.exit(3);
  }, timeoutMs + 60_000);
  killTimer.unref();

  const config: ServerConfig = {
    limits: { requestsPerMinute: options.rpm, inputTokensPerMinute: options.itpm, outputTokensPerMinute: options.otpm },
    latency: { baseMs: options.baseMs, perOutputTokenMs: options.perTokenMs, jitterMs: options.jitterMs },
    replyOutputTokens: options.replyTokens,
  };
  const { child, url } = await startServerProcess(config);

  const databaseUrl = process.env.DATABASE_URL?.trim() || "";
  const postgres = databaseUrl ? await freshPostgres(databaseUrl) : null;
  const handle = await openDatabase(postgres ? { url: postgres.url } : { memory: true });
  let childGone = false;
  child.once("exit", () => (childGone = true));
  try {
    await migrateDatabase(handle);
    const userId = "local:bench";
    const workspaceId = (await (await import("../src/server/workspaces")).createWorkspace(handle.db, { name: "Bench business" })).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId });
    // 40 / 35 / 25 % over the tiers, as many as asked for.
    const scenario = Math.round(options.conversations * 0.35);
    const edge = Math.round(options.conversations * 0.25);
    const plan = await createPlan({ db: handle.db, workspaceId, split: { template: options.conversations - scenario - edge, scenario, edge_case: edge } });
    const model = DEFAULT_MODELS.anthropic;
    const provider = createAnthropicProvider({ apiKey: "sk-ant-bench", baseURL: url, model, timeoutMs: 60_000 });
    const setupMs = performance.now() - started;
    console.log(
      `bench:generate: ${handle.kind === "pglite" ? "in-memory PGlite" : `PostgreSQL (${handle.location})`}; planned ${plan.created} (${plan.split.template} template / ${plan.split.scenario} scenario / ${plan.split.edge_case} edge case) in ${(setupMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `fake provider (child process ${child.pid}): ${int(options.rpm)} RPM, ${int(options.itpm)} ITPM, ${int(options.otpm)} OTPM; latency ${options.baseMs} ms + ${options.perTokenMs} ms/output token + [0, ${options.jitterMs}) ms jitter; ~${int(options.replyTokens)} output tokens a reply`,
    );
    console.log(`engine: anthropic provider (SDK, maxRetries 0), model ${model}, concurrency up to ${options.concurrency} (adaptive), timeout ${options.timeoutMin} min\n`);

    // Progress: a line every 15 s, and how the worker's throttle / concurrency looked over time.
    let lastPrint = 0;
    const throttleSamples: Record<string, number> = {};
    let throttleTotal = 0;
    const concurrencySeen: number[] = [];
    const onProgress = (progress: RunProgress) => {
      const throttle = progress.throttle;
      if (throttle) {
        throttleTotal += 1;
        const reason = throttle.throttled ? (throttle.reason ?? "throttled").replace(/\([^)]*\)/g, "").replace(/\d+ s$/, "N s").trim() : "not throttled";
        throttleSamples[reason] = (throttleSamples[reason] ?? 0) + 1;
        concurrencySeen.push(throttle.concurrency);
      }
      const now = performance.now();
      if (now - lastPrint >= 15_000 || progress.finished) {
        lastPrint = now;
        console.log(
          `  ${(progress.elapsedMs / 1000).toFixed(0).padStart(4)} s  ${String(progress.done).padStart(5)}/${progress.total} done (${progress.succeeded} ok, ${progress.failed} failed)  concurrency ${throttle?.concurrency ?? "?"}  ${throttle?.throttled ? (throttle.reason ?? "throttled") : ""}`,
        );
      }
    };

    const cpuStart = process.cpuUsage();
    const runStarted = performance.now();
    const result = await runGeneration({
      handle,
      selection: { all: true },
      provider,
      model,
      userId,
      concurrency: options.concurrency,
      signal: deadline.signal,
      onProgress,
      log: (line) => console.log(`  worker: ${line}`),
    });
    const runWallMs = performance.now() - runStarted;
    const cpu = process.cpuUsage(cpuStart);
    clearTimeout(abortTimer);
    const timedOut = deadline.signal.aborted;

    const report = await serverReport(child);
    const outcomes = result.outcomes;
    const generated = outcomes.filter((o) => o.status === "generated").length;
    const failed = outcomes.filter((o) => o.status === "failed").length;
    const planned = result.run?.total ?? 0;
    const attempts = outcomes.map((o) => o.attempts);
    const meanAttempts = attempts.length ? attempts.reduce((a, b) => a + b, 0) / attempts.length : 0;
    const maxAttempts = attempts.length ? Math.max(...attempts) : 0;
    const stats = report.stats;
    const rateLimitedShare = stats.requests ? stats.rateLimited / stats.requests : 0;

    // Throughput. Provider window: first request received → last response sent (the fake
    // server's clock); whole run: runGeneration's wall time (run creation, enqueueing, draining).
    const windowMs = report.firstRequestAt !== null && report.lastResponseAt !== null ? report.lastResponseAt - report.firstRequestAt : runWallMs;
    const windowMin = windowMs / 60_000;
    const runMin = runWallMs / 60_000;
    const achieved = generated / windowMin;
    const achievedRun = generated / runMin;

    // Per conversation costs against each limit, as the server counted them.
    const outPerConv = generated ? report.outputTokens200 / generated : options.replyTokens;
    const inPerConv = report.admitted ? report.inputTokensAdmitted / report.admitted : 0;
    const limits = [
      { name: "requests per minute", limit: options.rpm, perConversation: 1 },
      { name: "output tokens per minute", limit: options.otpm, perConversation: outPerConv },
      { name: "input tokens per minute", limit: options.itpm, perConversation: inPerConv },
    ].map((l) => ({ ...l, rate: l.limit / l.perConversation }));
    const binding = limits.reduce((a, b) => (b.rate < a.rate ? b : a));
    // Steady state: the refill rate of the tightest bucket. A finite run also gets each bucket's
    // starting content (one minute's worth), so the most any client can finish within a window of
    // T minutes is rate × (1 + T); that is the strict bound.
    const steadyFraction = achieved / binding.rate;
    const strictBound = binding.rate * (1 + windowMin);
    const strictFraction = generated / strictBound;
    const strictFractionRun = generated / (binding.rate * (1 + runMin));

    const pipelineCpuMs = (cpu.user + cpu.system) / 1000;
    const machine = describeMachine({ platform: true });

    console.log("\nResult");
    if (timedOut) console.log(`  STOPPED: the run did not finish within ${options.timeoutMin} min; figures cover what finished.`);
    console.log(`  conversations: ${generated} generated, ${failed} failed, of ${planned} (run status ${result.run?.status ?? "none"})`);
    console.log(`  wall: provider window ${(windowMs / 1000).toFixed(1)} s (first request → last response); whole run ${(runWallMs / 1000).toFixed(1)} s; setup ${(setupMs / 1000).toFixed(1)} s`);
    console.log(`  achieved: ${fmt(achieved)} conversations/min over the provider window (${fmt(achievedRun)} over the whole run)`);
    for (const l of limits) {
      console.log(`  bound by ${l.name}: ${int(l.limit)} / ${fmt(l.perConversation, l.perConversation === 1 ? 0 : 0)} per conversation = ${fmt(l.rate)} conversations/min${l === binding ? "  ← binds" : ""}`);
    }
    console.log(`  fraction of bound (steady state, achieved / ${fmt(binding.rate)}): ${steadyFraction.toFixed(3)}`);
    console.log(
      `  fraction of bound (strict, counting the full bucket at the start: ${fmt(binding.rate)} × (1 + ${windowMin.toFixed(2)} min) = ${fmt(strictBound, 0)} possible): ${strictFraction.toFixed(4)} (whole-run wall: ${strictFractionRun.toFixed(4)})`,
    );
    console.log(`  429 share: ${stats.rateLimited} of ${stats.requests} requests = ${pct(rateLimitedShare, 2)}; answers by status ${JSON.stringify(stats.byStatus)}`);
    console.log(`  attempts per conversation (the engine's count; 429 waits excluded): mean ${meanAttempts.toFixed(3)}, max ${maxAttempts}; HTTP requests per conversation ${(stats.requests / Math.max(1, generated + failed)).toFixed(3)}`);
    console.log(
      `  pipeline CPU: ${fmt(pipelineCpuMs / Math.max(1, generated + failed))} ms per conversation (${fmt(pipelineCpuMs / 1000)} s user+system in the engine process over the run = ${pct(pipelineCpuMs / runWallMs)} of one core); fake server ${fmt(report.cpuMs / Math.max(1, generated + failed))} ms per conversation (own process)`,
    );
    const durations = outcomes.map((o) => o.durationMs - o.providerMs).sort((a, b) => a - b);
    if (durations.length) {
      console.log(`  per-conversation latency outside provider calls (rate-limit waits included): median ${fmt(durations[Math.floor(durations.length / 2)])} ms, p95 ${fmt(durations[Math.floor(durations.length * 0.95)])} ms`);
    }
    console.log(`  in flight at the provider: mean ${report.inFlight.mean.toFixed(1)}, max ${report.inFlight.max}; worker concurrency limit min ${concurrencySeen.length ? Math.min(...concurrencySeen) : "?"}, max ${concurrencySeen.length ? Math.max(...concurrencySeen) : "?"}, last ${concurrencySeen.at(-1) ?? "?"}`);
    if (result.run) {
      // Calls that failed for another reason (each used one of the conversation's attempts).
      const rows = await handle.db
        .select({ code: generationLogs.errorCode, message: generationLogs.errorMessage })
        .from(generationLogs)
        .where(and(eq(generationLogs.runId, result.run.id), isNotNull(generationLogs.errorCode), ne(generationLogs.errorCode, "rate_limited")));
      if (rows.length) {
        const byCode: Record<string, number> = {};
        for (const row of rows) byCode[`${row.code}: ${(row.message ?? "").slice(0, 100)}`] = (byCode[`${row.code}: ${(row.message ?? "").slice(0, 100)}`] ?? 0) + 1;
        console.log(`  failed calls other than 429: ${Object.entries(byCode).map(([k, v]) => `${v} × ${k}`).join("; ")}`);
      }
    }
    if (stats.rateLimited && result.run) {
      // Which limit the provider said was exceeded (the 429 body), and when (provider clock).
      const rows = await handle.db
        .select({ body: generationLogs.responsePayload })
        .from(generationLogs)
        .where(and(eq(generationLogs.runId, result.run.id), eq(generationLogs.errorCode, "rate_limited")));
      const byLimit: Record<string, number> = {};
      for (const row of rows) {
        const message = (row.body as { error?: { message?: string } } | null)?.error?.message ?? "unknown";
        const limit = /of [\d,]+ ([a-z ]+) per minute/.exec(message)?.[1] ?? message.slice(0, 60);
        byLimit[limit] = (byLimit[limit] ?? 0) + 1;
      }
      const origin = report.firstRequestAt ?? 0;
      const times = report.rateLimitedAt.map((at) => ((at - origin) / 1000).toFixed(1));
      console.log(`  429s by limit: ${JSON.stringify(byLimit)}; at ${times.slice(0, 20).join(", ")}${times.length > 20 ? ", …" : ""} s`);
    }
    if (throttleTotal) {
      console.log(`  worker throttle state (share of progress samples): ${Object.entries(throttleSamples).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${pct(v / throttleTotal, 0)}`).join("; ")}`);
    }

    // Timeline: what the provider answered per 30 s, against the limits' refill rates.
    if (report.firstRequestAt !== null) {
      console.log("\n  timeline (provider clock, 30 s windows): 200s, 429s, output tokens/min (share of OTPM), admitted requests/min");
      const origin = report.firstRequestAt;
      const windows = new Map<number, { ok: number; limited: number; out: number; requests: number }>();
      const slot = (at: number) => Math.floor((at - origin) / 30_000);
      const get = (index: number) => windows.get(index) ?? windows.set(index, { ok: 0, limited: 0, out: 0, requests: 0 }).get(index)!;
      for (const s of report.served) {
        const w = get(slot(s.at));
        if (s.status === 200) {
          w.ok += 1;
          w.out += s.outputTokens;
        }
        if (s.status !== 429) w.requests += 1;
      }
      for (const at of report.rateLimitedAt) get(slot(at)).limited += 1;
      for (const index of [...windows.keys()].sort((a, b) => a - b)) {
        const w = windows.get(index)!;
        // The last window may be shorter than 30 s: rates are per minute of the window's real length.
        const perMinute = 60_000 / Math.max(1_000, Math.min(30_000, windowMs - index * 30_000));
        const otpm = w.out * perMinute;
        console.log(
          `    ${String(index * 30).padStart(4)}–${String(index * 30 + 30).padEnd(4)} s  ${String(w.ok).padStart(4)} ok  ${String(w.limited).padStart(3)} × 429  ${int(otpm).padStart(9)} out tok/min (${pct(otpm / options.otpm, 0).padStart(5)})  ${int(w.requests * perMinute).padStart(4)} req/min`,
        );
      }
    }

    console.log(`\n  machine: ${machine}`);
    console.log(`  code: ${codeVersion()}`);
    const targets = [
      { name: "throughput ≥ 0.95 of the bound (strict)", ok: strictFraction >= 0.95, value: strictFraction.toFixed(4) },
      { name: "429s ≤ 1 % of requests", ok: rateLimitedShare <= 0.01, value: pct(rateLimitedShare, 2) },
      { name: "0 failed conversations", ok: failed === 0 && generated === planned && !timedOut, value: `${failed} failed, ${planned - generated - failed} not finished` },
    ];
    console.log("\nTargets");
    for (const t of targets) console.log(`  ${t.ok ? "met    " : "MISSED "} ${t.name}: ${t.value}`);
    process.exitCode = timedOut ? 2 : 0;
  } finally {
    clearTimeout(abortTimer);
    if (!childGone) child.kill();
    await handle.close().catch(() => undefined);
    await postgres?.drop().catch((error: Error) => console.error(`could not drop the benchmark database: ${error.message}`));
  }
}

/**
 * The two "no stalls" set-ups: a server without rate-limit headers, and one reporting only
 * requests per minute; 90 conversations at concurrency 8, 1 s a reply. Prints the whole run's wall
 * time (run created → last conversation stored) against the bound, and what paced the run.
 */
async function localSetupMain(setup: Exclude<Setup, "limits">): Promise<void> {
  const conversations = 90;
  const concurrency = 8;
  const replyMs = 1000;
  const rpm = 240;
  const [{ openDatabase }, { migrateDatabase }, { importPath }, { createPlan }, { generateNow }, { createAnthropicProvider }, { createOpenAIProvider }] = await Promise.all([
    import("../src/server/db/client"),
    import("../src/server/db/migrate"),
    import("../src/core/import/import-workspace"),
    import("../src/core/planning/create-plan"),
    import("../tests/support/generate-now"),
    import("../src/core/llm/anthropic-provider"),
    import("../src/core/llm/openai-provider"),
  ]);
  const config: ServerConfig =
    setup === "no-headers"
      ? { rateLimitHeaders: false, latency: { baseMs: replyMs, perOutputTokenMs: 0, jitterMs: 0 }, replyOutputTokens: 1500 }
      : { limits: { requestsPerMinute: rpm }, latency: { baseMs: replyMs, perOutputTokenMs: 0, jitterMs: 0 }, replyOutputTokens: 1500 };
  const { child, url } = await startServerProcess(config);
  const databaseUrl = process.env.DATABASE_URL?.trim() || "";
  const postgres = databaseUrl ? await freshPostgres(databaseUrl) : null;
  const handle = await openDatabase(postgres ? { url: postgres.url } : { memory: true });
  try {
    await migrateDatabase(handle);
    const workspaceId = (await (await import("../src/server/workspaces")).createWorkspace(handle.db, { name: "Bench business" })).id;
    await importPath({ db: handle.db, workspaceId, target: SAMPLE, userId: "local:bench" });
    const plan = await createPlan({ db: handle.db, workspaceId, split: { template: 40, scenario: 35, edge_case: 15 } });
    const model = setup === "no-headers" ? "local-model" : "claude-sonnet-4-6";
    const provider =
      setup === "no-headers"
        ? createOpenAIProvider({ apiKey: "not-needed", baseURL: `${url}/v1`, model, timeoutMs: 60_000 })
        : createAnthropicProvider({ apiKey: "sk-ant-bench", baseURL: url, model, timeoutMs: 60_000 });
    const pacing = new Map<string, number>();
    let samples = 0;
    const started = performance.now();
    const result = await generateNow({
      handle,
      selection: { all: true },
      provider,
      model,
      concurrency,
      onProgress: (p) => {
        if (!p.throttle || p.finished) return;
        samples += 1;
        pacing.set(p.throttle.pacedBy, (pacing.get(p.throttle.pacedBy) ?? 0) + 1);
      },
    });
    const wallMs = performance.now() - started;
    const report = await serverReport(child);
    const concurrencyBoundMs = (conversations / concurrency) * replyMs;
    const requestBoundMs = setup === "requests-only" ? (conversations / rpm) * 60_000 : 0;
    const boundMs = Math.max(concurrencyBoundMs, requestBoundMs);
    const target = setup === "no-headers" ? 1.3 : 1.25;
    const ratio = wallMs / boundMs;
    console.log(`bench:generate --setup=${setup}: ${handle.kind === "pglite" ? "in-memory PGlite" : "PostgreSQL"}; ${plan.created} conversations planned (40/35/15)`);
    console.log(
      setup === "no-headers"
        ? `fake provider (child process): OpenAI wire, no rate-limit headers, ${replyMs} ms a reply, unlimited parallel requests`
        : `fake provider (child process): Anthropic wire, reports only anthropic-ratelimit-requests-* (${rpm}/min), ${replyMs} ms a reply`,
    );
    console.log(`engine: concurrency ${concurrency} (the user's), model ${model}`);
    console.log("\nResult");
    console.log(`  conversations: ${result.run?.succeeded ?? 0} generated, ${result.run?.failed ?? 0} failed, of ${result.run?.total ?? 0} (run ${result.run?.status ?? "none"})`);
    console.log(`  whole run: ${(wallMs / 1000).toFixed(2)} s (worker start, run created with its jobs, every conversation stored); provider window ${(((report.lastResponseAt ?? 0) - (report.firstRequestAt ?? 0)) / 1000).toFixed(2)} s`);
    console.log(
      `  bound: ${(boundMs / 1000).toFixed(2)} s = ${setup === "requests-only" ? `max(${conversations} ÷ ${rpm}/min = ${(requestBoundMs / 1000).toFixed(2)} s, ` : ""}${conversations} ÷ ${concurrency} × ${replyMs / 1000} s = ${(concurrencyBoundMs / 1000).toFixed(2)} s${setup === "requests-only" ? ")" : ""}`,
    );
    console.log(`  ratio: ${ratio.toFixed(3)} × the bound (target ≤ ${target}×)`);
    console.log(`  in flight at the provider: mean ${report.inFlight.mean.toFixed(1)}, max ${report.inFlight.max}; 429s ${report.stats.rateLimited} of ${report.stats.requests} requests`);
    console.log(`  paced by (share of progress samples): ${[...pacing].sort((a, b) => b[1] - a[1]).map(([k, v]) => `"${k}" ${pct(v / Math.max(1, samples), 0)}`).join("; ")}`);
    console.log(`\n  machine: ${describeMachine()}`);
    console.log(`  code: ${codeVersion()}`);
    console.log(`\nTarget\n  ${ratio <= target && result.run?.status === "completed" ? "met    " : "MISSED "} whole run within ${target}× of the bound: ${ratio.toFixed(3)}×`);
  } finally {
    child.kill();
    await handle.close().catch(() => undefined);
    await postgres?.drop().catch(() => undefined);
  }
}

if (process.argv.includes(SERVER_FLAG)) {
  await serverMain();
} else {
  const setupArg = process.argv.find((a) => a.startsWith("--setup="));
  const setup = (setupArg?.slice("--setup=".length) ?? "limits") as Setup;
  if (!SETUPS.includes(setup)) {
    console.error(`Unknown --setup=${setup}. Set-ups: ${SETUPS.join(", ")}.`);
    process.exit(64);
  }
  if (setup === "limits") await main();
  else await localSetupMain(setup);
  // pg-boss, PGlite and SDK keep-alive sockets may hold timers; the benchmark is done.
  process.exit(process.exitCode ?? 0);
}
