import "server-only";
/**
 * What the web server runs beside its pages (ARCHITECTURE.md "One process owns the embedded
 * database"): it opens and migrates the database, loads the sample workspace on the installation's
 * first start (once per installation: sampleOnFirstStart in src/server/workspaces.ts), and runs a
 * generation worker in the same process. Started once from `src/instrumentation.ts`.
 *
 * Environment (validated first, src/server/env.ts): BRIGHTRUN_WORKER=0 runs no worker (a web-only
 * process; with DATABASE_URL the workers run as `brightrun worker` elsewhere);
 * BRIGHTRUN_WORKER_CONCURRENCY caps the worker; BRIGHTRUN_NO_SAMPLE=1 skips the sample workspace
 * and its default plan (on first run, after the sample is loaded, the dataset is planned exactly
 * as `brightrun plan` with no options would, so planned conversations are ready to generate).
 *
 * With the embedded database it also serves `brightrun` commands from other terminals over its
 * local API (src/server/local-api/, docs/cli-beside-the-server.md): a listener on 127.0.0.1 whose
 * URL and token it writes to `<data dir>/brightrun-server.json` (mode 0600) once it is ready.
 *
 * It also starts the hourly retention job (pg-boss's schedule, src/server/jobs/retention-job.ts;
 * docs/retention.md), the e-mail worker (src/server/jobs/email-job.ts; docs/email.md) and the daily
 * summary e-mail's schedule (src/server/jobs/daily-summary-job.ts) whether or not the generation
 * worker runs, and remembers its own address for links in e-mails.
 *
 * Shutdown order on SIGINT/SIGTERM: close the local API and remove its file (commands still
 * running there are stopped), stop the worker (conversations in flight finish), stop the
 * retention job and pg-boss,
 * then close the database (which releases the embedded lockfile) and exit 0.
 * `getDatabase()` registers its own close-and-exit handler when it opens the database; that
 * handler would close the database while the worker still uses it, so it is detached here and
 * run last, after the worker and pg-boss have stopped.
 */
import path from "node:path";
import { runCliInServer } from "../cli/run-in-server";
import { importPath } from "../core/import/import-workspace";
import { createPlan } from "../core/planning/create-plan";
import { TIER_LABELS, TIERS } from "../lib/constants";
import { localOwner } from "./auth";
import { getDatabase } from "./db/instance";
import { listWorkspaces } from "./db/queries/workspace";
import { readEngineSettings, readEnv } from "./env";
import { createLocalApiToken, LOCAL_API_FILE, removeLocalApiFile, writeLocalApiFile } from "./local-api/api-file";
import { startLocalApi, type LocalApi } from "./local-api/local-api-server";
import { startGenerationWorker, type StartedWorker } from "./runs/start-worker";
import { startRetentionSchedule, type RetentionSchedule } from "./jobs/retention-job";
import { startEmailWorker, type EmailWorker } from "./jobs/email-job";
import { startDailySummarySchedule, type DailySummarySchedule } from "./jobs/daily-summary-job";
import { rememberServerUrl } from "./email/public-url";
import { getProcessWorkerState, setProcessWorkerState } from "./runs/worker-health";
import { selectProvider } from "../core/llm/select-provider";
import type { Database } from "./db/client";
import { ensureSampleWorkspace, releaseFirstStartSample, SAMPLE_WORKSPACE as SAMPLE, sampleOnFirstStart } from "./workspaces";

/** The sample workspace loaded into an empty database, relative to the project folder. */
export const SAMPLE_WORKSPACE = "examples/financial-planning";
/** How long shutdown waits for conversations in flight before aborting them (ms). */
const STOP_GRACE_MS = 10_000;

type SignalListener = (...args: unknown[]) => void;

interface BackgroundState {
  started: Promise<void>;
}

const GLOBAL_KEY = Symbol.for("brightrun.background");

function log(line: string): void {
  process.stdout.write(`[brightrun] ${line}\n`);
}

/** Runs `fn` and returns the SIGINT/SIGTERM listeners it added to the process. */
async function capturingSignalListeners<T>(fn: () => Promise<T>): Promise<{ value: T; added: Record<"SIGINT" | "SIGTERM", SignalListener[]> }> {
  const before = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
  const value = await fn();
  const added = {
    SIGINT: process.listeners("SIGINT").filter((l) => !before.SIGINT.includes(l)) as SignalListener[],
    SIGTERM: process.listeners("SIGTERM").filter((l) => !before.SIGTERM.includes(l)) as SignalListener[],
  };
  return { value, added };
}

/**
 * Starts the background work once per process (later calls return the same promise).
 * @throws AppError from the database (e.g. "database_locked" when the CLI holds the embedded database).
 */
export function startBackground(options: { port?: string } = {}): Promise<void> {
  const store = globalThis as unknown as Record<symbol, BackgroundState | undefined>;
  const existing = store[GLOBAL_KEY];
  if (existing) return existing.started;
  const state: BackgroundState = { started: run(options) };
  store[GLOBAL_KEY] = state;
  state.started.catch((error: Error) => {
    store[GLOBAL_KEY] = undefined;
    // Whatever stopped the start (the database, the sample, the environment), the page says so.
    if (getProcessWorkerState().state !== "running") setProcessWorkerState({ state: "failed", reason: error.message });
  });
  return state.started;
}

/**
 * Loads the sample business into its own workspace and plans it, exactly as `brightrun plan` with
 * no options would (a plan that cannot be made is logged, not fatal: the dashboard can plan again).
 * @throws the import's errors (AppError "import_invalid" …) and the database's
 */
async function loadSampleWorkspace(db: Database): Promise<void> {
  // The server itself loads the sample (no request, nobody signed in): the local owner.
  const user = localOwner();
  const target = path.join(/*turbopackIgnore: true*/ process.cwd(), SAMPLE_WORKSPACE);
  log(`First run: the database has no workspace yet; loading the sample business (${SAMPLE_WORKSPACE}) into the workspace "${SAMPLE.name}" (once per installation)…`);
  const { workspace } = await ensureSampleWorkspace(db);
  const summary = await importPath({ db, workspaceId: workspace.id, target, userId: user.id });
  log(
    `Loaded the sample workspace: ${summary.documents.created} documents, ${summary.scenarios} scenarios, ${summary.templates.changed} templates, ${summary.seeds.created} seed conversations (BRIGHTRUN_NO_SAMPLE=1 skips this).`,
  );
  try {
    const plan = await createPlan({ db, workspaceId: workspace.id });
    log(
      `Planned the dataset: ${TIERS.map((t) => `${TIER_LABELS[t]} ${plan.split[t]}`).join(" / ")} = ${TIERS.reduce((s, t) => s + plan.split[t], 0)} conversations, ${plan.created} new, ready to generate.`,
    );
  } catch (error) {
    log(`Could not plan the dataset: ${(error as Error).message}`);
  }
}

async function run({ port }: { port?: string }): Promise<void> {
  let worker: StartedWorker | null = null;
  /** The hourly retention job (src/server/jobs/retention-job.ts), stopped before the database closes. */
  let retention: RetentionSchedule | null = null;
  /** The e-mail worker (src/server/jobs/email-job.ts), stopped before the database closes. */
  let email: EmailWorker | null = null;
  /** The daily summary e-mail's schedule (src/server/jobs/daily-summary-job.ts), stopped before the database closes. */
  let dailySummary: DailySummarySchedule | null = null;
  /** The local API for the CLI (embedded database only) and what removes its file. */
  let localApi: { api: LocalApi; removeFile: () => void } | null = null;
  /** getDatabase()'s own handler (closes the database, exits 0), run last. */
  let closeDatabase: (() => void) | null = null;
  let stopping = false;

  const shutdown = (signal: string) => {
    if (stopping) return; // Ctrl-C reaches both `npm start` and this process; once is enough.
    stopping = true;
    void (async () => {
      log(`${signal}: stopping${worker ? " the worker (conversations in flight finish)" : ""}…`);
      if (localApi) {
        localApi.removeFile();
        await localApi.api.close().catch(() => undefined);
      }
      if (worker) {
        const current = worker;
        const graceful = current.stop();
        const timer = setTimeout(() => void current.worker.stop({ abort: true }).catch(() => undefined), STOP_GRACE_MS);
        await graceful.catch((error: Error) => log(`worker stop failed: ${error.message}`));
        clearTimeout(timer);
        setProcessWorkerState({ state: "off", reason: "the server is stopping" });
      }
      if (retention) await retention.stop().catch(() => undefined);
      if (email) await email.stop().catch(() => undefined);
      if (dailySummary) await dailySummary.stop().catch(() => undefined);
      if (closeDatabase) {
        log("closing the database.");
        closeDatabase(); // closes the database (releasing the embedded lock) and exits 0
      } else {
        process.exit(0);
      }
    })();
  };
  // The environment first: a bad variable stops the start with its name (and the page says so).
  let env: ReturnType<typeof readEnv>;
  let settings: ReturnType<typeof readEngineSettings>;
  try {
    env = readEnv();
    settings = readEngineSettings();
  } catch (error) {
    setProcessWorkerState({ state: "failed", reason: (error as Error).message });
    throw error;
  }
  // Registered before getDatabase() opens the database; getDatabase()'s handlers are detached below.
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  const { value: handle, added } = await capturingSignalListeners(() => getDatabase()).catch((error: Error) => {
    setProcessWorkerState({ state: "failed", reason: error.message });
    throw error;
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of added[signal]) process.removeListener(signal, listener);
  }
  const dbListener = added.SIGTERM[0] ?? added.SIGINT[0];
  if (dbListener) closeDatabase = () => dbListener();
  else if (handle) closeDatabase = () => void handle.close().finally(() => process.exit(0));

  const database = handle.kind === "pglite" ? `embedded (PGlite) in ${handle.location}` : `PostgreSQL ${handle.location}`;

  const firstStart = env.BRIGHTRUN_NO_SAMPLE === true ? null : await sampleOnFirstStart(handle.db);
  if (firstStart?.load) {
    try {
      await loadSampleWorkspace(handle.db);
    } catch (error) {
      // Not loaded: the next start tries again.
      await releaseFirstStartSample(handle.db).catch(() => undefined);
      throw error;
    }
  } else if (firstStart?.reason === "loaded_before" && (await listWorkspaces({ db: handle.db })).length === 0) {
    log(
      "No workspace: the sample was loaded once already and is not loaded again. Create a workspace in the web app, or load the sample with `brightrun init --sample financial-planning`.",
    );
  }

  const workerOn = env.BRIGHTRUN_WORKER !== false;
  if (!workerOn) setProcessWorkerState({ state: "off", reason: "BRIGHTRUN_WORKER=0 turns off the worker of the web server" });
  let workerLine = workerOn ? "on (in this process)" : "off (BRIGHTRUN_WORKER=0)";
  if (workerOn && !stopping) {
    try {
      // The worker records each run's own starter; its own id is the server's local owner.
      const user = localOwner();
      worker = await startGenerationWorker({ handle, userId: user.id, settings, log: (line) => log(`worker: ${line}`) });
      setProcessWorkerState({ state: "running", workerId: worker.worker.id, ceiling: settings.workerConcurrency });
      workerLine = `on (in this process, up to ${settings.workerConcurrency} conversations at once)`;
    } catch (error) {
      // The pages say so (worker-health banner) and Generate explains that nothing will run.
      const reason = (error as Error).message;
      setProcessWorkerState({ state: "failed", reason });
      workerLine = `FAILED TO START: ${reason}`;
      log(`The generation worker did not start: ${reason}`);
    }
  }

  let retentionLine = "off";
  if (!stopping) {
    try {
      retention = await startRetentionSchedule({ handle, log: (line) => log(line) });
      retentionLine = "hourly";
    } catch (error) {
      retentionLine = `FAILED TO START: ${(error as Error).message}`;
      log(`The retention job did not start (${(error as Error).message}); \`brightrun retention run\` applies the windows by hand.`);
    }
  }

  let emailLine = "off";
  if (!stopping) {
    try {
      email = await startEmailWorker({ handle, log: (line) => log(line) });
      emailLine = "on";
    } catch (error) {
      emailLine = `FAILED TO START: ${(error as Error).message}`;
      log(`The e-mail worker did not start (${(error as Error).message}); queued e-mails wait until it does.`);
    }
  }
  if (!stopping) {
    try {
      dailySummary = await startDailySummarySchedule({ handle, log: (line) => log(line) });
    } catch (error) {
      log(`The daily summary e-mail's schedule did not start (${(error as Error).message}); \`brightrun email daily-summary\` sends it by hand.`);
    }
  }

  if (handle.kind === "pglite" && !stopping) {
    // Last, when the server is ready: from now on `brightrun` commands run here instead of being refused.
    const dataDir = handle.location;
    try {
      const token = createLocalApiToken();
      const api = await startLocalApi({
        token,
        run: (request, io) => runCliInServer({ request, handle, worker, ...io }),
        log: (line) => log(line),
      });
      writeLocalApiFile({ dataDir, url: api.url, token });
      const removeFile = () => removeLocalApiFile(dataDir, token);
      // Also on an exit that skips the shutdown above (the lock lost, an uncaught error).
      process.once("exit", removeFile);
      localApi = { api, removeFile };
      log(`\`brightrun\` commands from other terminals run in this server (local API on ${api.url}; its token is in ${dataDir}/${LOCAL_API_FILE}).`);
    } catch (error) {
      log(`The local API for the CLI did not start (${(error as Error).message}): \`brightrun\` commands are refused while this server runs.`);
    }
  }

  let provider: string;
  try {
    // Each workspace may choose its own model on its Settings page; this is the environment's default.
    const selection = selectProvider({ env: process.env });
    provider = selection.provider.isLanguageModel ? `${selection.provider.name} (${selection.model})` : `${selection.provider.name} — not a language model`;
  } catch (error) {
    provider = `not configured (${(error as Error).message})`;
  }
  const url = `http://localhost:${port ?? process.env.PORT ?? "3000"}`;
  rememberServerUrl(url);
  log(
    `Bright Run at ${url} · database: ${database} · worker: ${workerLine} · retention: ${retentionLine} · e-mail: ${emailLine} · provider: ${provider}`,
  );
}
