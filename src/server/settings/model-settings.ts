import "server-only";
/**
 * The model settings saved from the web app (issue 9, item 4): provider, base URL, API key
 * (encrypted at rest, never sent back), model, default concurrency, rate limits (for all models and
 * per model), the retry policy and price overrides. One row per workspace. Environment variables win
 * over every saved value; the
 * settings page shows those fields as "set by the environment". Every caller that picks a provider
 * (the web, `brightrun generate`, the workers) reads the saved settings through
 * {@link loadStoredProviderSettings} and passes them to selectProvider; every estimate, cost and
 * retry reads prices and the retry policy through {@link engineSettingsWithSettings}.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { loadPriceOverrides, type PriceOverrides } from "../../core/cost/prices";
import { AppError } from "../../core/errors";
import {
  BACKOFF_STRATEGIES,
  DEFAULT_RETRY_POLICY,
  RETRYABLE_ERROR_KINDS,
  retryPolicyFrom,
  retryPolicyOverridesSchema,
  type RetryPolicy,
  type RetryPolicyOverrides,
} from "../../core/generation/retry-policy";
import { selectProvider, type ProviderSelection, type StoredProviderSettings } from "../../core/llm/select-provider";
import type { ProviderModel } from "../../core/llm/types";
import { PROVIDER_NAMES, type ProviderName } from "../../lib/constants";
import { MAX_RUN_CONCURRENCY } from "../../lib/run-states";
import type { DbOrTx } from "../db/client";
import { modelSettings, type ModelSettingsRow } from "../db/schema";
import { parseRateLimitSetting, type ConfiguredRateLimits } from "../runs/rate-limit-setting";
import { keyHint, loadSecretKey, openSecret, sealSecret } from "./secret-box";
import { recordSettingsChanges, type SettingsActor, type SettingsChange } from "./settings-audit";

/** Where a rate limit saved in Settings says it came from (stored on runs, shown in progress). */
export const SETTINGS_RATE_LIMIT_SOURCE = "the Settings page";

type Env = Record<string, string | undefined>;

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : typeof v === "string" ? v.trim() : v);

async function readRow(db: DbOrTx, workspaceId: string): Promise<ModelSettingsRow | null> {
  const [row] = await db.select().from(modelSettings).where(eq(modelSettings.workspaceId, workspaceId));
  return row ?? null;
}

/**
 * The saved provider settings with the key decrypted, for selectProvider; null when nothing is saved.
 * @throws AppError "secret_unreadable" when the saved key can't be decrypted with this server's secret key
 */
export async function loadStoredProviderSettings(db: DbOrTx, workspaceId: string, env: Env = process.env): Promise<StoredProviderSettings | null> {
  const row = await readRow(db, workspaceId);
  if (!row || !row.provider) return null;
  return {
    provider: row.provider,
    baseUrl: row.baseUrl,
    apiKey: row.apiKeySealed ? openSecret(row.apiKeySealed, loadSecretKey({ env }).key) : null,
    model: row.model,
  };
}

/**
 * selectProvider with the saved settings under the flags and the environment.
 * @throws what selectProvider and loadStoredProviderSettings throw
 */
export async function selectProviderWithSettings(
  db: DbOrTx,
  workspaceId: string,
  input: { env?: Env; flags?: { provider?: string; model?: string } } = {},
): Promise<ProviderSelection> {
  const env = input.env ?? process.env;
  return selectProvider({ env, flags: input.flags, stored: await loadStoredProviderSettings(db, workspaceId, env) });
}

/**
 * Defaults of a new run: concurrency and rate limits, the environment's when set, else the saved ones.
 * @param fromEnv what readEngineSettings parsed (its defaultConcurrency is the built-in default when BRIGHTRUN_CONCURRENCY is unset)
 */
export async function runDefaultsWithSettings(
  db: DbOrTx,
  workspaceId: string,
  fromEnv: { defaultConcurrency: number; rateLimits: ConfiguredRateLimits | null },
  env: Env = process.env,
): Promise<{ concurrency: number; rateLimits: ConfiguredRateLimits | null }> {
  const row = await readRow(db, workspaceId);
  const concurrency = env.BRIGHTRUN_CONCURRENCY?.trim() ? fromEnv.defaultConcurrency : (row?.concurrency ?? fromEnv.defaultConcurrency);
  const rateLimits = fromEnv.rateLimits ?? (row?.rateLimits ? parseRateLimitSetting(row.rateLimits, SETTINGS_RATE_LIMIT_SOURCE) : null);
  return { concurrency, rateLimits };
}

/**
 * Defaults of a new run of `model`: concurrency as runDefaultsWithSettings, and the rate limits of
 * that model. Order: BRIGHTRUN_RATE_LIMITS (fromEnv.rateLimits) for every model, else the Settings
 * page's limits for this model (rate_limits_by_model), else its limits for all models, else none.
 * @param model the run's model id (null: the limits for all models)
 * @throws AppError "invalid_rate_limits" if a saved entry no longer parses (it was checked on save)
 */
export async function runDefaultsForModel(
  db: DbOrTx,
  workspaceId: string,
  fromEnv: { defaultConcurrency: number; rateLimits: ConfiguredRateLimits | null },
  model: string | null,
  env: Env = process.env,
): Promise<{ concurrency: number; rateLimits: ConfiguredRateLimits | null }> {
  const defaults = await runDefaultsWithSettings(db, workspaceId, fromEnv, env);
  if (fromEnv.rateLimits || model === null) return defaults;
  const row = await readRow(db, workspaceId);
  const own = row?.rateLimitsByModel && Object.hasOwn(row.rateLimitsByModel, model) ? row.rateLimitsByModel[model] : undefined;
  return own ? { ...defaults, rateLimits: parseRateLimitSetting(own, `${SETTINGS_RATE_LIMIT_SOURCE} (${model})`) } : defaults;
}

/** The engine settings that the Settings page may change: prices and the retry policy. */
export interface PricingAndRetry {
  /** Model id → USD per million input/output tokens. */
  priceOverrides: PriceOverrides;
  retryPolicy: RetryPolicy;
}

/**
 * The prices and retry policy every estimate, cost and worker uses: the environment's over the ones
 * saved for the workspace. Prices merge per model (a model in BRIGHTRUN_PRICES takes that price; the saved prices of other
 * models still apply). The retry policy is the environment's when BRIGHTRUN_RETRY_POLICY is set (any
 * policy other than the built-in DEFAULT_RETRY_POLICY object, which loadRetryPolicy returns when the
 * variable is unset, counts as set: a caller's own policy wins too), else the saved policy over the
 * default, else the default.
 * @param fromEnv the prices and policy of readEngineSettings (or a caller's own)
 */
export async function engineSettingsWithSettings(db: DbOrTx, workspaceId: string, fromEnv: PricingAndRetry): Promise<PricingAndRetry> {
  const row = await readRow(db, workspaceId);
  return {
    priceOverrides: { ...(row?.priceOverrides ?? {}), ...fromEnv.priceOverrides },
    retryPolicy: fromEnv.retryPolicy !== DEFAULT_RETRY_POLICY ? fromEnv.retryPolicy : retryPolicyFrom(row?.retryPolicy),
  };
}

/** What Load models found: the provider's models, or why it could not list them in plain English. */
export type ModelListResult =
  | { ok: true; provider: ProviderName; models: ProviderModel[] }
  | { ok: false; code: string; message: string; status: number | null };

/** How long Load models waits for the provider's list, ms. */
export const MODEL_LIST_TIMEOUT_MS = 15_000;

/** What Load models sends: the provider and base URL in the form, and the key being typed (else the saved one). */
export const modelListInputSchema = z.strictObject({
  provider: z.enum(PROVIDER_NAMES, { error: `Choose a provider: ${PROVIDER_NAMES.join(", ")}.` }),
  baseUrl: z.preprocess(blankToNull, z.url({ protocol: /^https?$/, error: "The base URL must be an http(s) address such as http://localhost:11434/v1." }).nullable()),
  apiKey: z.preprocess(blankToNull, z.string().max(500, "That API key is too long.").nullable()),
});
export type ModelListInput = z.input<typeof modelListInputSchema>;

/**
 * Lists the models of the provider in the form (Anthropic `GET /v1/models`, an OpenAI-compatible
 * server's `GET /models`; the simulated composer lists its own), with the base URL in the form and
 * the key being typed, else the saved key of the same provider. Environment variables win as they do
 * for generation. Never throws for the provider's refusal: it comes back as `ok: false` with the
 * HTTP status and a plain-English message ("401: …rejected the API key…"). The key is never returned.
 * @throws ZodError for a bad provider or base URL; AppError "secret_unreadable" for a saved key this server can't decrypt
 */
export async function listModelsWithSettings(db: DbOrTx, workspaceId: string, input: ModelListInput, env: Env = process.env): Promise<ModelListResult> {
  const parsed = modelListInputSchema.parse(input);
  const saved = await loadStoredProviderSettings(db, workspaceId, env);
  const sameProvider = saved?.provider === parsed.provider;
  let selection: ProviderSelection;
  try {
    selection = selectProvider({
      env,
      flags: { provider: parsed.provider },
      stored: { provider: parsed.provider, baseUrl: parsed.baseUrl, apiKey: parsed.apiKey ?? (sameProvider ? saved.apiKey : null), model: null },
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ok: false, code: error.code, message: error.message, status: null };
  }
  const provider = selection.provider;
  if (!provider.listModels) return { ok: false, code: "not_supported", message: `The ${provider.name} provider has no models list: type the model's name.`, status: null };
  try {
    const models = await provider.listModels({ signal: AbortSignal.timeout(MODEL_LIST_TIMEOUT_MS) });
    return { ok: true, provider: provider.name, models };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const status = typeof error.detail.status === "number" ? error.detail.status : null;
    const message =
      status === 404
        ? "This server has no models list (HTTP 404 for its /models address). Check the base URL, or type the model's name."
        : `${status ? `${status}: ` : ""}${error.message}`;
    return { ok: false, code: error.code, message, status };
  }
}

/** What the settings page shows: the saved values (never the key itself) and which ones the environment overrides. */
export interface ModelSettingsView {
  provider: ProviderName | null;
  baseUrl: string | null;
  /** "sk-…abcd" when a key is saved. */
  apiKeyHint: string | null;
  model: string | null;
  concurrency: number | null;
  rateLimits: string | null;
  /** Rate limits of particular models (the rate-limits form), by model id in saved order. */
  rateLimitsByModel: Array<{ model: string; limits: string }>;
  /** The saved retry policy over the default (delays in ms); null = the default. */
  retryPolicy: RetryPolicyOverrides | null;
  /** The saved price overrides, USD per million tokens. */
  priceOverrides: Array<{ model: string; input: number; output: number }>;
  /** The model ids whose price BRIGHTRUN_PRICES sets (those win over a saved price). */
  pricesFromEnvironment: string[];
  updatedAt: string | null;
  updatedBy: string | null;
  /** Fields whose environment variable is set (it wins), with the variable's name. Key values are never included. */
  fromEnvironment: Partial<Record<"provider" | "baseUrl" | "apiKey" | "model" | "concurrency" | "rateLimits" | "retryPolicy" | "prices", string>>;
  /** Where the key that encrypts saved API keys comes from. */
  secretKeyFrom: string;
  /** What generation uses now, in plain English (selectProvider's reason), or why it can't choose. */
  effective: { ok: true; provider: ProviderName; model: string; reason: string } | { ok: false; message: string };
}

/** Which environment variables override which fields, for the saved provider (or whatever the environment names). */
function environmentOverrides(env: Env, provider: ProviderName | null): ModelSettingsView["fromEnvironment"] {
  const set = (name: string) => (env[name]?.trim() ? name : undefined);
  const out: ModelSettingsView["fromEnvironment"] = {};
  const providerVar = set("BRIGHTRUN_PROVIDER") ?? set("ANTHROPIC_API_KEY") ?? set("OPENAI_API_KEY") ?? set("OPENAI_BASE_URL");
  if (providerVar) out.provider = providerVar;
  const keyVar = provider === "anthropic" ? set("ANTHROPIC_API_KEY") : provider === "openai" ? set("OPENAI_API_KEY") : undefined;
  if (keyVar) out.apiKey = keyVar;
  const urlVar = provider === "anthropic" ? set("ANTHROPIC_BASE_URL") : provider === "openai" ? set("OPENAI_BASE_URL") : undefined;
  if (urlVar) out.baseUrl = urlVar;
  if (set("BRIGHTRUN_MODEL")) out.model = "BRIGHTRUN_MODEL";
  if (set("BRIGHTRUN_CONCURRENCY")) out.concurrency = "BRIGHTRUN_CONCURRENCY";
  if (set("BRIGHTRUN_RATE_LIMITS")) out.rateLimits = "BRIGHTRUN_RATE_LIMITS";
  if (set("BRIGHTRUN_RETRY_POLICY")) out.retryPolicy = "BRIGHTRUN_RETRY_POLICY";
  if (set("BRIGHTRUN_PRICES")) out.prices = "BRIGHTRUN_PRICES";
  return out;
}

/** The settings page's view. Never throws for a key it can't decrypt: `effective` says so. */
export async function loadModelSettingsView(db: DbOrTx, workspaceId: string, env: Env = process.env): Promise<ModelSettingsView> {
  const row = await readRow(db, workspaceId);
  let effective: ModelSettingsView["effective"];
  try {
    const selection = await selectProviderWithSettings(db, workspaceId, { env });
    effective = { ok: true, provider: selection.provider.name, model: selection.model, reason: selection.reason };
  } catch (error) {
    effective = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  let secretKeyFrom: string;
  try {
    secretKeyFrom = loadSecretKey({ env }).from;
  } catch (error) {
    secretKeyFrom = error instanceof Error ? error.message : String(error);
  }
  const provider = row?.provider ?? null;
  let pricesFromEnvironment: string[] = [];
  try {
    pricesFromEnvironment = Object.keys(loadPriceOverrides(env));
  } catch {
    // A bad BRIGHTRUN_PRICES stops the server at start (readEngineSettings); the page has nothing to add.
  }
  return {
    provider,
    baseUrl: row?.baseUrl ?? null,
    apiKeyHint: row?.apiKeyHint ?? null,
    model: row?.model ?? null,
    concurrency: row?.concurrency ?? null,
    rateLimits: row?.rateLimits ?? null,
    rateLimitsByModel: Object.entries(row?.rateLimitsByModel ?? {}).map(([model, limits]) => ({ model, limits })),
    retryPolicy: row?.retryPolicy ?? null,
    priceOverrides: Object.entries(row?.priceOverrides ?? {}).map(([model, price]) => ({ model, input: price.input, output: price.output })),
    pricesFromEnvironment,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedBy ?? null,
    fromEnvironment: environmentOverrides(env, effective.ok ? effective.provider : provider),
    secretKeyFrom,
    effective,
  };
}


/** Most rows of per-model rate limits, or of prices, one form may save. */
export const MAX_SETTINGS_ROWS = 100;
const ATTEMPTS_MESSAGE = "Attempts must be a whole number from 1 to 20 (the first try included).";
const BASE_DELAY_MESSAGE = "The first wait must be a number of seconds from 0 to 600.";
const MAX_DELAY_MESSAGE = "The longest wait must be a number of seconds from 0 to 3600.";
/** A blank form field is null; anything else must be a number meeting `schema`. */
const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess((v) => (v === "" || v === null || v === undefined ? null : typeof v === "string" ? Number(v.trim()) : v), schema.nullable());
const modelIdSchema = z.string().trim().min(1, "Each row needs a model name.").max(200, "The model name can be at most 200 characters.");
const usdPerMillion = (side: "input" | "output") => {
  const message = `The ${side} price must be a number of US dollars per million ${side} tokens, 0 or more.`;
  return z.preprocess((v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim())) : v), z.number({ error: message }).finite(message).nonnegative(message).max(100_000, message));
};

/** What the settings form sends. `apiKey`: keep the saved one, replace it with `value`, or remove it. */
export const modelSettingsInputSchema = z.strictObject({
  provider: z.enum(PROVIDER_NAMES, { error: `Choose a provider: ${PROVIDER_NAMES.join(", ")}.` }),
  baseUrl: z.preprocess(blankToNull, z.url({ protocol: /^https?$/, error: "The base URL must be an http(s) address such as http://localhost:11434/v1." }).nullable()),
  apiKey: z.discriminatedUnion("action", [
    z.strictObject({ action: z.literal("keep") }),
    z.strictObject({ action: z.literal("remove") }),
    z.strictObject({ action: z.literal("replace"), value: z.string().trim().min(8, "That API key is too short: paste the whole key.").max(500, "That API key is too long.") }),
  ]),
  model: z.preprocess(blankToNull, z.string().max(200, "The model name can be at most 200 characters.").nullable()),
  concurrency: z.preprocess(
    (v) => (v === "" || v === null || v === undefined ? null : v),
    z.coerce
      .number()
      .int(`Concurrency must be a whole number from 1 to ${MAX_RUN_CONCURRENCY}.`)
      .min(1, `Concurrency must be a whole number from 1 to ${MAX_RUN_CONCURRENCY}.`)
      .max(MAX_RUN_CONCURRENCY, `Concurrency must be a whole number from 1 to ${MAX_RUN_CONCURRENCY}.`)
      .nullable(),
  ),
  rateLimits: z.preprocess(blankToNull, z.string().max(200).nullable()),
  /** Rate limits of particular models; absent = keep what is saved. */
  rateLimitsByModel: z
    .array(z.strictObject({ model: modelIdSchema, limits: z.string().max(200, "Rate limits can be at most 200 characters.") }))
    .max(MAX_SETTINGS_ROWS, `At most ${MAX_SETTINGS_ROWS} models can have their own rate limits.`)
    .optional(),
  /** The retry policy (delays in seconds, as the form shows them); null = the default; absent = keep what is saved. */
  retryPolicy: z
    .strictObject({
      maxAttempts: optionalNumber(z.number().int(ATTEMPTS_MESSAGE).min(1, ATTEMPTS_MESSAGE).max(20, ATTEMPTS_MESSAGE)),
      strategy: z.preprocess(blankToNull, z.enum(BACKOFF_STRATEGIES, { error: "The retry strategy must be exponential, linear or fixed." }).nullable()),
      baseDelaySeconds: optionalNumber(z.number().min(0, BASE_DELAY_MESSAGE).max(600, BASE_DELAY_MESSAGE)),
      maxDelaySeconds: optionalNumber(z.number().min(0, MAX_DELAY_MESSAGE).max(3600, MAX_DELAY_MESSAGE)),
      byErrorCode: z
        .array(
          z.strictObject({
            code: z.enum(RETRYABLE_ERROR_KINDS.map((k) => k.code) as [string, ...string[]], { error: `An error kind must be one of: ${RETRYABLE_ERROR_KINDS.map((k) => k.code).join(", ")}.` }),
            maxAttempts: optionalNumber(z.number().int(ATTEMPTS_MESSAGE).min(1, ATTEMPTS_MESSAGE).max(20, ATTEMPTS_MESSAGE)),
            strategy: z.preprocess(blankToNull, z.enum(BACKOFF_STRATEGIES, { error: "The retry strategy must be exponential, linear or fixed." }).nullable()),
            baseDelaySeconds: optionalNumber(z.number().min(0, BASE_DELAY_MESSAGE).max(600, BASE_DELAY_MESSAGE)),
            maxDelaySeconds: optionalNumber(z.number().min(0, MAX_DELAY_MESSAGE).max(3600, MAX_DELAY_MESSAGE)),
          }),
        )
        .max(RETRYABLE_ERROR_KINDS.length),
    })
    .nullable()
    .optional(),
  /** Price overrides, USD per million tokens; absent = keep what is saved. */
  priceOverrides: z
    .array(z.strictObject({ model: modelIdSchema, input: usdPerMillion("input"), output: usdPerMillion("output") }))
    .max(MAX_SETTINGS_ROWS, `At most ${MAX_SETTINGS_ROWS} models can have their own price.`)
    .optional(),
});
export type ModelSettingsInput = z.input<typeof modelSettingsInputSchema>;

/**
 * The form's retry policy (seconds) as stored (ms), checked against the policy's own schema; null
 * when nothing differs from the default.
 * @throws AppError "invalid_retry_policy" when the maximum delay is below the first delay
 */
function retryPolicyToStore(input: z.output<typeof modelSettingsInputSchema>["retryPolicy"]): RetryPolicyOverrides | null {
  if (!input) return null;
  const settings = (given: { maxAttempts: number | null; strategy: string | null; baseDelaySeconds: number | null; maxDelaySeconds: number | null }) => {
    const out: Record<string, unknown> = {};
    if (given.maxAttempts !== null) out.maxAttempts = given.maxAttempts;
    if (given.strategy !== null) out.strategy = given.strategy;
    if (given.baseDelaySeconds !== null) out.baseDelayMs = Math.round(given.baseDelaySeconds * 1000);
    if (given.maxDelaySeconds !== null) out.maxDelayMs = Math.round(given.maxDelaySeconds * 1000);
    return out;
  };
  const policy: Record<string, unknown> = settings(input);
  const byErrorCode: Record<string, Record<string, unknown>> = {};
  for (const row of input.byErrorCode) {
    const label = RETRYABLE_ERROR_KINDS.find((k) => k.code === row.code)?.label ?? row.code;
    if (Object.hasOwn(byErrorCode, row.code)) throw new AppError("invalid_retry_policy", `"${label}" is listed twice in the retry policy: keep one row per error kind.`);
    const own = settings(row);
    if (Object.keys(own).length) byErrorCode[row.code] = own;
  }
  if (Object.keys(byErrorCode).length) policy.byErrorCode = byErrorCode;
  const stored = retryPolicyOverridesSchema.parse(policy);
  const check = (what: string, s: Partial<{ baseDelayMs: number; maxDelayMs: number }>) => {
    const merged = { ...retryPolicyFrom(stored), ...s };
    if (merged.maxDelayMs < merged.baseDelayMs) {
      throw new AppError("invalid_retry_policy", `${what}: the longest wait (${merged.maxDelayMs / 1000} s) is shorter than the first wait (${merged.baseDelayMs / 1000} s). Make the longest wait at least the first.`);
    }
  };
  check("Retry policy", {});
  for (const [code, own] of Object.entries(stored.byErrorCode ?? {})) check(RETRYABLE_ERROR_KINDS.find((k) => k.code === code)?.label ?? code, own);
  return Object.keys(stored).length ? stored : null;
}

/** Model id → value, refusing a model listed twice. @throws AppError `code` naming the model */
function byModel<T>(rows: Array<{ model: string } & T>, what: string, code: string, value: (row: { model: string } & T) => unknown): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const row of rows) {
    if (Object.hasOwn(out, row.model)) throw new AppError(code, `${row.model} is listed twice in ${what}: keep one row per model.`);
    out[row.model] = value(row);
  }
  return Object.keys(out).length ? out : null;
}

/**
 * Validates and saves the settings (the key encrypted) and, in the same transaction, one settings
 * audit row per changed setting by `user` (the key masked: "sk-…abcd"). An OpenAI-compatible provider needs a key or
 * a base URL; Anthropic needs a key (saved or in the environment). Rate limits per model, the retry
 * policy and prices are kept as saved when the input leaves them out.
 * @throws ZodError for a bad field; AppError "invalid_rate_limits" (parseRateLimitSetting), "settings_incomplete",
 *   "invalid_retry_policy", "invalid_price_overrides" (a model listed twice)
 */
export async function saveModelSettings(db: DbOrTx, workspaceId: string, input: ModelSettingsInput, user: SettingsActor, env: Env = process.env): Promise<void> {
  const parsed = modelSettingsInputSchema.parse(input);
  if (parsed.rateLimits) parseRateLimitSetting(parsed.rateLimits, "Rate limits");
  const rateLimitsByModel =
    parsed.rateLimitsByModel &&
    (byModel(parsed.rateLimitsByModel, "the rate limits per model", "invalid_rate_limits", (row) => {
      if (!parseRateLimitSetting(row.limits, `The rate limits row of ${row.model}`)) {
        throw new AppError("invalid_rate_limits", `The rate limits of ${row.model} are empty: write them (e.g. rpm=60, otpm=20000) or remove the row.`);
      }
      return row.limits.trim();
    }) as Record<string, string> | null);
  const priceOverrides =
    parsed.priceOverrides && (byModel(parsed.priceOverrides, "the prices", "invalid_price_overrides", ({ input: usdIn, output: usdOut }) => ({ input: usdIn, output: usdOut })) as PriceOverrides | null);
  const retryPolicy = parsed.retryPolicy === undefined ? undefined : retryPolicyToStore(parsed.retryPolicy);
  const existing = await readRow(db, workspaceId);
  const secret = parsed.apiKey.action === "replace" ? { sealed: sealSecret(parsed.apiKey.value, loadSecretKey({ env }).key), hint: keyHint(parsed.apiKey.value) } : null;
  const keepKey = parsed.apiKey.action === "keep" && existing?.provider === parsed.provider;
  const apiKeySealed = secret ? secret.sealed : keepKey ? (existing?.apiKeySealed ?? null) : null;
  const apiKeyHint = secret ? secret.hint : keepKey ? (existing?.apiKeyHint ?? null) : null;
  const hasKey = apiKeySealed !== null || Boolean(env[parsed.provider === "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"]?.trim());
  if (parsed.provider === "anthropic" && !hasKey) {
    throw new AppError("settings_incomplete", "Anthropic needs an API key: paste it from your Anthropic console (console.anthropic.com → API keys).");
  }
  if (parsed.provider === "openai" && !hasKey && !parsed.baseUrl && !env.OPENAI_BASE_URL?.trim()) {
    throw new AppError("settings_incomplete", "An OpenAI-compatible provider needs an API key (for OpenAI) or the base URL of your server (for vLLM, Ollama, llama.cpp or LM Studio, e.g. http://localhost:11434/v1).");
  }
  const values = {
    provider: parsed.provider,
    baseUrl: parsed.provider === "simulated" ? null : parsed.baseUrl,
    apiKeySealed: parsed.provider === "simulated" ? null : apiKeySealed,
    apiKeyHint: parsed.provider === "simulated" ? null : apiKeyHint,
    model: parsed.provider === "simulated" ? null : parsed.model,
    concurrency: parsed.concurrency,
    rateLimits: parsed.rateLimits,
    ...(rateLimitsByModel === undefined ? {} : { rateLimitsByModel }),
    ...(retryPolicy === undefined ? {} : { retryPolicy }),
    ...(priceOverrides === undefined ? {} : { priceOverrides }),
    updatedAt: new Date(),
    updatedBy: user.id,
  };
  const keyChanged = secret !== null || (existing?.apiKeySealed ?? null) !== values.apiKeySealed;
  const changes: SettingsChange[] = [
    { setting: "model.provider", oldValue: existing?.provider ?? null, newValue: values.provider },
    { setting: "model.baseUrl", oldValue: existing?.baseUrl ?? null, newValue: values.baseUrl },
    { setting: "model.model", oldValue: existing?.model ?? null, newValue: values.model },
    { setting: "model.concurrency", oldValue: existing?.concurrency ?? null, newValue: values.concurrency },
    { setting: "model.rateLimits", oldValue: existing?.rateLimits ?? null, newValue: values.rateLimits },
    ...(rateLimitsByModel === undefined ? [] : [{ setting: "model.rateLimitsByModel", oldValue: existing?.rateLimitsByModel ?? null, newValue: rateLimitsByModel }]),
    ...(retryPolicy === undefined ? [] : [{ setting: "model.retryPolicy", oldValue: existing?.retryPolicy ?? null, newValue: retryPolicy }]),
    ...(priceOverrides === undefined ? [] : [{ setting: "model.priceOverrides", oldValue: existing?.priceOverrides ?? null, newValue: priceOverrides }]),
    ...(keyChanged
      ? [
          {
            setting: "model.apiKey",
            secret: true as const,
            oldValue: existing?.apiKeySealed ? { hint: existing.apiKeyHint ?? null } : null,
            newValue: values.apiKeySealed ? { hint: values.apiKeyHint } : null,
          },
        ]
      : []),
  ];
  await db.transaction(async (tx) => {
    await tx
      .insert(modelSettings)
      .values({ workspaceId, ...values })
      .onConflictDoUpdate({ target: modelSettings.workspaceId, set: values });
    await recordSettingsChanges(tx, { workspaceId, user, changes });
  });
}

/** The result of Test connection. */
export type ConnectionTestResult =
  | {
      ok: true;
      provider: ProviderName;
      model: string;
      /** The first 200 characters of the model's answer. */
      reply: string;
      /** From sending the request to the whole answer, ms. */
      latencyMs: number;
      inputTokens: number;
      outputTokens: number;
      /** The rate-limit headers of the answer (lower-case names); empty when the server sends none. */
      rateLimitHeaders: Record<string, string>;
    }
  | { ok: false; code: string; message: string; status: number | null };

/** Largest reply Test connection asks for, in tokens: enough for one short sentence. */
export const CONNECTION_TEST_MAX_TOKENS = 16;

/** How a successful Test connection is remembered: "provider/model" of the settings in effect. */
export function connectionTestKey(provider: string, model: string): string {
  return `${provider}/${model}`;
}

/**
 * Sends one small request with the settings in effect (environment, then saved) and reports the
 * answer, its latency and rate-limit headers, or the provider's error in plain English with its HTTP
 * status. The simulated composer needs no connection and says so. A success is remembered on the
 * workspace's model settings (connection_tested_at / _for, read by the first-run checklist).
 */
export async function testModelConnection(db: DbOrTx, workspaceId: string, env: Env = process.env): Promise<ConnectionTestResult> {
  let selection: ProviderSelection;
  try {
    selection = await selectProviderWithSettings(db, workspaceId, { env });
  } catch (error) {
    return { ok: false, code: error instanceof AppError ? error.code : "settings_invalid", message: error instanceof Error ? error.message : String(error), status: null };
  }
  if (!selection.provider.isLanguageModel) {
    return { ok: false, code: "simulated", message: "The simulated composer is not a language model and needs no connection. Choose Anthropic or an OpenAI-compatible server to generate with a model.", status: null };
  }
  const started = performance.now();
  try {
    const reply = await selection.provider.generate({
      model: selection.model,
      system: "You are checking a connection. Answer in a few words.",
      prompt: "Reply with: connection works.",
      maxTokens: CONNECTION_TEST_MAX_TOKENS,
      temperature: 0,
      signal: AbortSignal.timeout(30_000),
      // Real providers ignore the generation context (LlmProvider); only the simulated composer reads it.
      context: undefined as never,
    });
    const rateLimitHeaders = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => /ratelimit|retry-after/i.test(name)));
    const tested = { connectionTestedAt: new Date(), connectionTestedFor: connectionTestKey(selection.provider.name, selection.model) };
    await db.insert(modelSettings).values({ workspaceId, ...tested }).onConflictDoUpdate({ target: modelSettings.workspaceId, set: tested });
    return {
      ok: true,
      provider: selection.provider.name,
      model: reply.model || selection.model,
      reply: reply.text.slice(0, 200),
      latencyMs: Math.round(performance.now() - started),
      inputTokens: reply.inputTokens,
      outputTokens: reply.outputTokens,
      rateLimitHeaders,
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const status = typeof error.detail.status === "number" ? error.detail.status : null;
    return { ok: false, code: error.code, message: `${status ? `${status}: ` : ""}${error.message}`, status };
  }
}

/** Whether the workspace has a language model set and tested (the first-run checklist's step). */
export interface ModelReadiness {
  /** The provider and model in effect (environment, then saved, then the simulated composer). */
  provider: string;
  model: string;
  isLanguageModel: boolean;
  /** When Test connection last succeeded for exactly this provider and model; null = not tested (or tested for another). */
  testedAt: Date | null;
  /** Why the settings in effect can't be used (e.g. an unreadable saved key); null when they can. */
  problem: string | null;
}

/**
 * The provider and model in effect and whether Test connection succeeded for them.
 * Never throws for a settings problem: it is returned as `problem`.
 */
export async function loadModelReadiness(db: DbOrTx, workspaceId: string, env: Env = process.env): Promise<ModelReadiness> {
  const row = await readRow(db, workspaceId);
  try {
    const selection = await selectProviderWithSettings(db, workspaceId, { env });
    const key = connectionTestKey(selection.provider.name, selection.model);
    return {
      provider: selection.provider.name,
      model: selection.model,
      isLanguageModel: selection.provider.isLanguageModel,
      testedAt: row?.connectionTestedFor === key ? row.connectionTestedAt : null,
      problem: null,
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { provider: row?.provider ?? "unknown", model: row?.model ?? "unknown", isLanguageModel: false, testedAt: null, problem: error.message };
  }
}
