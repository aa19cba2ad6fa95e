import "server-only";
/**
 * The one worker factory, used by `npm start` (the web process's worker), `brightrun generate`
 * (a worker in the command's own process) and `brightrun worker` alike: starts pg-boss on the
 * database, builds the worker from the engine settings (prices and the retry policy with the Settings
 * page's under the environment's) and starts it.
 */
import type PgBoss from "pg-boss";
import { engineSettingsWithSettings, selectProviderWithSettings } from "../settings/model-settings";
import type { DatabaseHandle } from "../db/client";
import type { EngineSettings } from "../env";
import { startQueue, stopQueue } from "./queue";
import { GenerationWorker, type WorkerOptions } from "./worker";

export interface StartedWorker {
  worker: GenerationWorker;
  boss: PgBoss;
  /** Stops the worker (in-flight conversations finish, or go back to the queue with `abort`), then pg-boss. */
  stop(options?: { abort?: boolean }): Promise<void>;
}

/**
 * Starts a generation worker on `handle`.
 * @param options.settings the engine settings from the environment (readEngineSettings)
 * @param options.ceiling most conversations in flight in this process (default settings.workerConcurrency)
 * @param options.env where run providers' keys and base URLs come from (default process.env)
 * @throws whatever pg-boss or the database throws when the queue cannot start
 */
export async function startGenerationWorker(
  options: {
    handle: DatabaseHandle;
    userId: string;
    settings: EngineSettings;
    ceiling?: number;
    env?: Record<string, string | undefined>;
    log?: (line: string) => void;
  } & Partial<Pick<WorkerOptions, "providerFor" | "pricingAndRetryFor" | "onOutcome" | "onJudgeOutcome" | "batch" | "faults" | "pollMs">>,
): Promise<StartedWorker> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const boss = await startQueue(options.handle, { onError: (error) => log(`queue: ${error.message}`) });
  const worker = new GenerationWorker({
    handle: options.handle,
    boss,
    // The run's provider and model, with the key and base URL from the environment, else the Settings page (read per call: a key changed there applies at once).
    providerFor: options.providerFor ?? ((run) => selectProviderWithSettings(options.handle.db, run.workspaceId, { env, flags: { provider: run.provider, model: run.model } })),
    userId: options.userId,
    ceiling: options.ceiling ?? options.settings.workerConcurrency,
    priceOverrides: options.settings.priceOverrides,
    retryPolicy: options.settings.retryPolicy,
    // Prices and the retry policy: the environment's over the Settings page's, read per conversation (a change there applies at once).
    pricingAndRetryFor: options.pricingAndRetryFor ?? ((run) => engineSettingsWithSettings(options.handle.db, run.workspaceId, options.settings)),
    batch: options.batch,
    faults: options.faults,
    pollMs: options.pollMs,
    onOutcome: options.onOutcome,
    onJudgeOutcome: options.onJudgeOutcome,
    log,
  });
  try {
    await worker.start();
  } catch (error) {
    await stopQueue(boss);
    throw error;
  }
  return {
    worker,
    boss,
    stop: async ({ abort = false } = {}) => {
      await worker.stop({ abort });
      await stopQueue(boss);
    },
  };
}
