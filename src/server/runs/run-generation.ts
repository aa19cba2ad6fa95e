import "server-only";
/**
 * "Generate these now and wait": what `brightrun generate`, `brightrun runs resume`, the demo and
 * the tests do. A worker starts in this process first (handing back any work a stopped process
 * left behind), then the run is created, then the command waits until its run — and any run its
 * conversations were already waiting in — is finished or paused.
 */
import type { GenerationOutcome } from "../../core/generation/generate-conversation";
import type { JudgeOutcome } from "../../core/generation/judge-conversation";
import type { SkippedConversation } from "../../core/generation/resolve-selection";
import { isTerminalRunStatus, type RunProgress } from "../../lib/run-states";
import type { DatabaseHandle } from "../db/client";
import { getGenerationRunById } from "../db/queries/runs";
import type { GenerationRunRow } from "../db/schema";
import type { EngineSettings } from "../env";
import { getRunProgress } from "./run-progress";
import { startRun, type StartRunInput } from "./run-machine";
import { startGenerationWorker, type StartedWorker } from "./start-worker";
import type { WorkerOptions } from "./worker";

export interface RunResult {
  run: GenerationRunRow | null;
  /** Earlier runs this command also finished: conversations of the selection were waiting in them (after a crash, say). */
  adopted: GenerationRunRow[];
  outcomes: Array<GenerationOutcome & { runId: string }>;
  /** What each conversation of a judge run ended as (empty for generate runs). */
  judgeOutcomes: Array<JudgeOutcome & { runId: string }>;
  /** Selected conversations that were not put in the new run, with the reason ("seed", "already approved"…). */
  skipped: SkippedConversation[];
  wallMs: number;
}

type InProcessOptions = {
  handle: DatabaseHandle;
  userId: string;
  settings: EngineSettings;
  /** This process's worker ceiling (default: the larger of the run's concurrency and settings.workerConcurrency). */
  ceiling?: number;
  signal?: AbortSignal;
  progressEveryMs?: number;
  onProgress?: (progress: RunProgress) => void;
  log?: (line: string) => void;
  env?: Record<string, string | undefined>;
} & Partial<Pick<WorkerOptions, "providerFor" | "batch" | "faults" | "pollMs">>;

/**
 * Waits, with a worker running in this process, until every run of `runIds` is finished or
 * paused; reports the first one's progress. Aborting `signal` stops waiting (in-flight
 * conversations go back to the queue).
 * @returns the progress of the first run at the end
 */
export async function driveRuns(options: InProcessOptions & { runIds: string[]; worker?: StartedWorker; onOutcome?: WorkerOptions["onOutcome"] }): Promise<RunProgress> {
  const { handle } = options;
  const worker =
    options.worker ??
    (await startGenerationWorker({ ...options, ceiling: options.ceiling ?? options.settings.workerConcurrency, onOutcome: options.onOutcome, log: options.log }));
  try {
    for (;;) {
      const open = [];
      for (const id of options.runIds) {
        const run = await getGenerationRunById({ db: handle.db, id });
        if (run && !isTerminalRunStatus(run.status) && run.status !== "paused") open.push(id);
      }
      // Read after the check: when no run is open any more, this progress is the final one (read
      // before it, a run that ended in between would be returned as still running).
      const progress = await getRunProgress({ db: handle.db, runId: options.runIds[0] });
      options.onProgress?.(progress);
      if (!open.length || options.signal?.aborted) return progress;
      await new Promise((resolve) => setTimeout(resolve, options.progressEveryMs ?? 250));
    }
  } finally {
    if (!options.worker) await worker.stop({ abort: Boolean(options.signal?.aborted) });
  }
}

/**
 * Generates (or, with `input.purpose` "judge", judges) a selection now: starts a worker here, creates the run, and drives it (and any earlier
 * running run its conversations were already waiting in) to the end or to a pause.
 *
 * With `worker` (the server's running worker, for a command the CLI forwarded to the server) no
 * worker is started: the run goes to that one, which keeps its own ceiling, provider choice and
 * log, and keeps running afterwards (also when `signal` stops the waiting). On the embedded
 * database a second worker would hand back the first one's conversations in flight (docs/engine.md).
 * @throws AppError "selection_invalid" from startRun; database and queue errors
 */
export async function runGeneration(
  options: InProcessOptions & { input: StartRunInput; onStart?: (info: { total: number; runId: string }) => void; worker?: StartedWorker },
): Promise<RunResult> {
  const started = performance.now();
  const { handle } = options;
  const outcomes: RunResult["outcomes"] = [];
  const judgeOutcomes: RunResult["judgeOutcomes"] = [];
  const collect = { onOutcome: (o: RunResult["outcomes"][number]) => outcomes.push(o), onJudgeOutcome: (o: RunResult["judgeOutcomes"][number]) => judgeOutcomes.push(o) };
  const shared = options.worker;
  const stopWatching = shared?.worker.watchOutcomes(collect);
  const worker =
    shared ??
    (await startGenerationWorker({
      ...options,
      ceiling: options.ceiling ?? Math.max(options.input.concurrency, options.settings.workerConcurrency),
      ...collect,
      log: options.log,
    }));
  try {
    const { run, skipped } = await startRun({ db: handle.db, input: options.input });
    const waitingIn = [...new Set(skipped.map((s) => s.waitingInRunId).filter((id): id is string => Boolean(id)))];
    const adoptedIds: string[] = [];
    for (const id of waitingIn) {
      const other = await getGenerationRunById({ db: handle.db, id });
      if (other?.status === "running") adoptedIds.push(id);
    }
    const runIds = [...(run ? [run.id] : []), ...adoptedIds];
    if (!runIds.length) return { run: null, adopted: [], outcomes, judgeOutcomes, skipped, wallMs: performance.now() - started };
    const first = run ?? (await getGenerationRunById({ db: handle.db, id: runIds[0] }));
    options.onStart?.({ total: first?.total ?? 0, runId: runIds[0] });
    await driveRuns({ ...options, runIds, worker });
    const adopted = (await Promise.all(adoptedIds.map((id) => getGenerationRunById({ db: handle.db, id })))).filter((r): r is GenerationRunRow => r !== null);
    return {
      run: run ? await getGenerationRunById({ db: handle.db, id: run.id }) : null,
      adopted,
      outcomes: run ? outcomes.filter((o) => o.runId === run.id) : outcomes,
      judgeOutcomes: run ? judgeOutcomes.filter((o) => o.runId === run.id) : judgeOutcomes,
      skipped,
      wallMs: performance.now() - started,
    };
  } finally {
    if (shared) stopWatching?.();
    else await worker.stop({ abort: Boolean(options.signal?.aborted) });
  }
}
