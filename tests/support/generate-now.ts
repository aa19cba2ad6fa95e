/**
 * Tests call the real engine (src/server/runs/run-generation.ts `runGeneration`: a worker in this
 * process, the run machine, pg-boss) with a provider object instead of environment variables:
 * this helper only builds the engine settings and the run input from those arguments.
 */
import type { PriceOverrides } from "../../src/core/cost/prices";
import type { GenerationSelection } from "../../src/core/generation/resolve-selection";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../../src/core/generation/retry-policy";
import type { LlmProvider } from "../../src/core/llm/types";
import type { RunKind } from "../../src/lib/run-states";
import type { DatabaseHandle } from "../../src/server/db/client";
import type { EngineSettings } from "../../src/server/env";
import type { ConfiguredRateLimits } from "../../src/server/runs/rate-limit-setting";
import { runGeneration, type RunResult } from "../../src/server/runs/run-generation";
import type { WorkerOptions } from "../../src/server/runs/worker";
import type { RunProgress } from "../../src/lib/run-states";
import { listWorkspaces } from "../../src/server/db/queries/workspace";

export interface GenerateNowOptions {
  handle: DatabaseHandle;
  /** The workspace of the selection; default: the database's only workspace. */
  workspaceId?: string;
  selection: GenerationSelection;
  provider: LlmProvider;
  model: string;
  userId?: string;
  concurrency: number;
  kind?: RunKind;
  budgetUsd?: number | null;
  retryPolicy?: RetryPolicy;
  priceOverrides?: PriceOverrides;
  rateLimits?: ConfiguredRateLimits | null;
  /** The worker's ceiling (default: the larger of the concurrency and 16). */
  ceiling?: number;
  faults?: WorkerOptions["faults"];
  /** The run's judge model (on the same provider); null/absent = no judge. */
  judgeModel?: string | null;
  /** "judge": a judge run over already generated conversations (`model` is the judge model). */
  purpose?: "generate" | "judge";
  batch?: WorkerOptions["batch"];
  signal?: AbortSignal;
  onStart?: (info: { total: number; runId: string }) => void;
  onProgress?: (progress: RunProgress) => void;
  log?: (line: string) => void;
}

/** Engine settings as the environment would give them, from test arguments. */
export function testEngineSettings(options: Pick<GenerateNowOptions, "retryPolicy" | "priceOverrides" | "rateLimits"> = {}): EngineSettings {
  return {
    priceOverrides: options.priceOverrides ?? {},
    retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    rateLimits: options.rateLimits ?? null,
    defaultConcurrency: 3,
    workerConcurrency: 16,
    judge: { mode: "off" },
  };
}

/** Generates `selection` now with `provider`, through the real engine, and waits for the end. */
export async function generateNow(options: GenerateNowOptions): Promise<RunResult> {
  const userId = options.userId ?? "local:test";
  const workspaceId = options.workspaceId ?? (await onlyWorkspaceId(options.handle));
  return runGeneration({
    handle: options.handle,
    userId,
    settings: testEngineSettings(options),
    ceiling: options.ceiling,
    input: {
      workspaceId,
      selection: options.selection,
      kind: options.kind ?? "live",
      provider: options.provider.name,
      model: options.model,
      userId,
      concurrency: options.concurrency,
      budgetUsd: options.budgetUsd ?? null,
      rateLimits: options.rateLimits ?? null,
      purpose: options.purpose ?? "generate",
      judgeModel: options.purpose === "judge" ? (options.judgeModel ?? options.model) : (options.judgeModel ?? null),
    },
    providerFor: () => ({ provider: options.provider, model: options.model }),
    faults: options.faults,
    batch: options.batch,
    signal: options.signal,
    onStart: options.onStart,
    onProgress: options.onProgress,
    log: options.log,
    pollMs: 50,
  });
}

/** The id of the database's only workspace (the test files create one). */
async function onlyWorkspaceId(handle: DatabaseHandle): Promise<string> {
  const all = await listWorkspaces({ db: handle.db });
  if (all.length !== 1) throw new Error(`generateNow needs workspaceId: the database has ${all.length} workspaces.`);
  return all[0].id;
}
