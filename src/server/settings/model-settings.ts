import "server-only";
/**
 * The model settings saved from the web app (issue 9, item 4): provider, base URL, API key
 * (encrypted at rest, never sent back), model, default concurrency and rate limits. One row per
 * workspace. Environment variables win over every saved value; the
 * settings page shows those fields as "set by the environment". Every caller that picks a provider
 * (the web, `brightrun generate`, the workers) reads the saved settings through
 * {@link loadStoredProviderSettings} and passes them to selectProvider.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "../../core/errors";
import { selectProvider, type ProviderSelection, type StoredProviderSettings } from "../../core/llm/select-provider";
import { PROVIDER_NAMES, type ProviderName } from "../../lib/constants";
import { MAX_RUN_CONCURRENCY } from "../../lib/run-states";
import type { DbOrTx } from "../db/client";
import { modelSettings, type ModelSettingsRow } from "../db/schema";
import { parseRateLimitSetting, type ConfiguredRateLimits } from "../runs/rate-limit-setting";
import { keyHint, loadSecretKey, openSecret, sealSecret } from "./secret-box";

/** Where a rate limit saved in Settings says it came from (stored on runs, shown in progress). */
export const SETTINGS_RATE_LIMIT_SOURCE = "the Settings page";

type Env = Record<string, string | undefined>;

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

/** What the settings page shows: the saved values (never the key itself) and which ones the environment overrides. */
export interface ModelSettingsView {
  provider: ProviderName | null;
  baseUrl: string | null;
  /** "sk-…abcd" when a key is saved. */
  apiKeyHint: string | null;
  model: string | null;
  concurrency: number | null;
  rateLimits: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Fields whose environment variable is set (it wins), with the variable's name. Key values are never included. */
  fromEnvironment: Partial<Record<"provider" | "baseUrl" | "apiKey" | "model" | "concurrency" | "rateLimits", string>>;
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
  return {
    provider,
    baseUrl: row?.baseUrl ?? null,
    apiKeyHint: row?.apiKeyHint ?? null,
    model: row?.model ?? null,
    concurrency: row?.concurrency ?? null,
    rateLimits: row?.rateLimits ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedBy ?? null,
    fromEnvironment: environmentOverrides(env, effective.ok ? effective.provider : provider),
    secretKeyFrom,
    effective,
  };
}

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : typeof v === "string" ? v.trim() : v);

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
});
export type ModelSettingsInput = z.input<typeof modelSettingsInputSchema>;

/**
 * Validates and saves the settings (the key encrypted). An OpenAI-compatible provider needs a key or
 * a base URL; Anthropic needs a key (saved or in the environment).
 * @throws ZodError for a bad field; AppError "invalid_rate_limits" (parseRateLimitSetting), "settings_incomplete"
 */
export async function saveModelSettings(db: DbOrTx, workspaceId: string, input: ModelSettingsInput, userId: string, env: Env = process.env): Promise<void> {
  const parsed = modelSettingsInputSchema.parse(input);
  if (parsed.rateLimits) parseRateLimitSetting(parsed.rateLimits, "Rate limits");
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
    updatedAt: new Date(),
    updatedBy: userId,
  };
  await db
    .insert(modelSettings)
    .values({ workspaceId, ...values })
    .onConflictDoUpdate({ target: modelSettings.workspaceId, set: values });
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

/**
 * Sends one small request with the settings in effect (environment, then saved) and reports the
 * answer, its latency and rate-limit headers, or the provider's error in plain English with its HTTP
 * status. The simulated composer needs no connection and says so.
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
