import "server-only";
/**
 * The environment, validated once with one zod schema (ARCHITECTURE.md, "Validate at the
 * boundary"), for the web server, `brightrun generate`, `brightrun worker` and every other command
 * alike. A bad value fails at start with a message naming the variable and what it must look like.
 * The provider variables are the core's own schema (providerEnvSchema), so the two cannot disagree.
 */
import { z } from "zod";
import { loadPriceOverrides, type PriceOverrides } from "../core/cost/prices";
import { AppError } from "../core/errors";
import { loadRetryPolicy, type RetryPolicy } from "../core/generation/retry-policy";
import { providerEnvSchema } from "../core/llm/select-provider";
import { parseJudgeSetting, type JudgeSetting } from "../core/quality/judge/judge-setting";
import { MAX_RUN_CONCURRENCY } from "../lib/run-states";
import { parseRateLimitSetting, type ConfiguredRateLimits } from "./runs/rate-limit-setting";

const optionalText = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v), z.string().optional());

const flag = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z
    .enum(["0", "1", "true", "false", "yes", "no", "on", "off"], { error: "must be 1 or 0 (true / false, yes / no, on / off)" })
    .optional()
    .transform((v) => (v === undefined ? undefined : ["1", "true", "yes", "on"].includes(v))),
);

const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).optional(),
  );
};

/** The default concurrency of a new run when neither the CLI flag nor the web dialog sets one. */
export const DEFAULT_RUN_CONCURRENCY = 3;
/** The default ceiling of a worker process (all runs together). */
export const DEFAULT_WORKER_CONCURRENCY = 16;

const envSchema = providerEnvSchema.extend({
  /** PostgreSQL URL; when unset the embedded PGlite database in BRIGHTRUN_DATA_DIR is used. */
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), { message: "must start with postgres:// or postgresql://" }),
  /** Folder of the embedded database, exports and lockfile. Default ./.brightrun */
  BRIGHTRUN_DATA_DIR: optionalText,
  /** Where the web app writes exports (absolute, or relative to the working directory). Default ./exports */
  BRIGHTRUN_EXPORT_DIR: optionalText,
  /** Who the local user is in logs (reviewer_id, user_id). Default: the OS user name. */
  BRIGHTRUN_USER: optionalText,
  /** USD per million tokens per model, JSON (core/cost/prices.ts). */
  BRIGHTRUN_PRICES: optionalText,
  /** Retry policy of failed calls, JSON (core/generation/retry-policy.ts). */
  BRIGHTRUN_RETRY_POLICY: optionalText,
  /** Rate limits you set for runs started here: "rpm=240,itpm=400000,otpm=80000,tpm=…" (per minute). */
  BRIGHTRUN_RATE_LIMITS: optionalText,
  /** Concurrency of a new run when none is chosen (1-64). Default 3. */
  BRIGHTRUN_CONCURRENCY: wholeNumber(1, MAX_RUN_CONCURRENCY),
  /** The worker's ceiling: conversations in flight in one worker process over all runs (1-256). Default 16. */
  BRIGHTRUN_WORKER_CONCURRENCY: wholeNumber(1, 256),
  /** `npm start`: 0 runs no worker in the web process (with DATABASE_URL, run `brightrun worker` elsewhere). */
  BRIGHTRUN_WORKER: flag,
  /** `npm start`: 1 skips loading the sample workspace on first run. */
  BRIGHTRUN_NO_SAMPLE: flag,
  /** Key that encrypts API keys saved on the Settings page: 32 bytes as 64 hex characters or base64. Default: generated into <data dir>/secret.key. */
  BRIGHTRUN_SECRET_KEY: optionalText.refine(
    (v) => v === undefined || /^[0-9a-f]{64}$/i.test(v) || (/^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, "base64").length === 32),
    { message: "must be 32 random bytes as 64 hex characters or base64 (e.g. the output of `openssl rand -hex 32`)" },
  ),
  /**
   * The judge (docs/quality.md, "The judge"): off (default), same (the generation model judges),
   * or a model name on the run's provider. `brightrun generate --judge MODEL / --no-judge` override it.
   */
  BRIGHTRUN_JUDGE: optionalText,
  /**
   * The address people open Bright Run at (e.g. https://brightrun.example.com), used for the links in
   * e-mails (docs/email.md). Default: the web server's own address (http://localhost:PORT).
   */
  BRIGHTRUN_PUBLIC_URL: optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s/]+/i.test(v), {
    message: "must be the address people open Bright Run at, starting with http:// or https:// (e.g. https://brightrun.example.com)",
  }),
  /** Web server port. Default 3000. */
  PORT: wholeNumber(1, 65535),
});

export type Env = z.infer<typeof envSchema>;

/** What the generation engine takes from the environment, parsed. */
export interface EngineSettings {
  priceOverrides: PriceOverrides;
  retryPolicy: RetryPolicy;
  /** From BRIGHTRUN_RATE_LIMITS, or null. */
  rateLimits: ConfiguredRateLimits | null;
  defaultConcurrency: number;
  workerConcurrency: number;
  /** From BRIGHTRUN_JUDGE: off by default. */
  judge: JudgeSetting;
}

/**
 * Parses `source` (default `process.env`).
 * @throws AppError "env_invalid" naming each bad variable and what it must look like.
 */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
    throw new AppError("env_invalid", `Some environment variables are not valid: ${problems}. Fix them and start again.`);
  }
  return parsed.data;
}

/**
 * The engine's settings from the environment: prices, retry policy, rate limits, concurrency, judge.
 * @throws AppError "env_invalid" (from readEnv), "invalid_price_overrides", "invalid_retry_policy",
 *   "invalid_rate_limits", "argument_invalid" (BRIGHTRUN_JUDGE) — each naming its variable
 */
export function readEngineSettings(source: Record<string, string | undefined> = process.env): EngineSettings {
  const env = readEnv(source);
  return {
    priceOverrides: loadPriceOverrides(source),
    retryPolicy: loadRetryPolicy(source),
    rateLimits: env.BRIGHTRUN_RATE_LIMITS ? parseRateLimitSetting(env.BRIGHTRUN_RATE_LIMITS, "BRIGHTRUN_RATE_LIMITS") : null,
    defaultConcurrency: env.BRIGHTRUN_CONCURRENCY ?? DEFAULT_RUN_CONCURRENCY,
    workerConcurrency: env.BRIGHTRUN_WORKER_CONCURRENCY ?? DEFAULT_WORKER_CONCURRENCY,
    judge: parseJudgeSetting(env.BRIGHTRUN_JUDGE, "BRIGHTRUN_JUDGE"),
  };
}
