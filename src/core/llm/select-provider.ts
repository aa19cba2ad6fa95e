/**
 * Chooses the LLM provider and model for a run from CLI flags and the environment
 * (ARCHITECTURE.md, "Providers"; the selection order is documented in docs/providers.md).
 */
import { z } from "zod";
import { AppError } from "../errors";
import { PROVIDER_NAMES, type ProviderName } from "../../lib/constants";
import { DEFAULT_MODELS } from "../cost/prices";
import { createAnthropicProvider, DEFAULT_LLM_TIMEOUT_MS } from "./anthropic-provider";
import { createOpenAIProvider, TOKEN_LIMIT_FIELDS } from "./openai-provider";
import { createSimulatedProvider } from "./simulated-provider";
import type { LlmProvider } from "./types";

/** API key sent to an OpenAI-compatible server when only OPENAI_BASE_URL is set (local servers ignore it). */
export const LOCAL_SERVER_API_KEY_PLACEHOLDER = "not-needed";

/** Blank env values count as unset. */
const optionalText = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : typeof value === "string" ? value.trim() : value),
  z.string().optional(),
);
const optionalUrl = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : typeof value === "string" ? value.trim() : value),
  z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://localhost:11434/v1" }).optional(),
);

/** The environment variables provider selection reads. Validated at the boundary. */
export const providerEnvSchema = z.object({
  BRIGHTRUN_PROVIDER: optionalText,
  BRIGHTRUN_MODEL: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalUrl,
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalUrl,
  /** Per-request timeout in ms (default 90 000, FR10.1.1). */
  BRIGHTRUN_LLM_TIMEOUT_MS: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().min(1, "must be a whole number of milliseconds, 1 or more").optional(),
  ),
  /** Force the token-cap field for the openai provider. */
  BRIGHTRUN_OPENAI_TOKEN_FIELD: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.enum(TOKEN_LIMIT_FIELDS).optional(),
  ),
});
export type ProviderEnv = z.infer<typeof providerEnvSchema>;

/**
 * The provider settings saved in the web app's Settings page (decrypted key included). They come
 * after the flags and the environment: a variable that is set wins over its saved value.
 */
export interface StoredProviderSettings {
  provider: ProviderName | null;
  /** Base URL of an OpenAI-compatible server, or of an Anthropic gateway. */
  baseUrl: string | null;
  apiKey: string | null;
  model: string | null;
}

export interface SelectProviderInput {
  /** Usually `process.env`; only the variables in `providerEnvSchema` are read. */
  env: Record<string, string | undefined>;
  /** `--provider` / `--model` from the CLI (or the run form). Flags win over the environment. */
  flags?: { provider?: string; model?: string };
  /** Settings saved in the web app, used where neither a flag nor a variable says otherwise. */
  stored?: StoredProviderSettings | null;
}

export interface ProviderSelection {
  provider: LlmProvider;
  /** The model the run will ask for. */
  model: string;
  /** Plain-English why, for the CLI line and the run record, e.g. "ANTHROPIC_API_KEY is set". */
  reason: string;
}

/**
 * Picks the provider and model.
 *
 * Provider: `flags.provider`, else `BRIGHTRUN_PROVIDER`, else `anthropic` when ANTHROPIC_API_KEY
 * is set, else `openai` when OPENAI_API_KEY or OPENAI_BASE_URL is set (with only a base URL the
 * key is the placeholder "not-needed", for local servers), else `simulated`.
 * Then the saved settings' provider (`stored`), else `simulated`. A provider's key and base URL:
 * its variable, else the saved one when the saved provider is the same.
 * Model: `flags.model`, else `BRIGHTRUN_MODEL`, else the saved model (same provider), else the
 * provider's default (DEFAULT_MODELS).
 * The simulated provider always reports its own model name: it is not a language model.
 * Timeout: BRIGHTRUN_LLM_TIMEOUT_MS (ms), default 90 000.
 *
 * @throws AppError `invalid_environment` when a variable above has a bad value,
 *   `unknown_provider` for a name other than anthropic/openai/simulated, and
 *   `provider_not_configured` when the named provider lacks its key or URL. None retryable.
 */
export function selectProvider(input: SelectProviderInput): ProviderSelection {
  const stored = input.stored ?? null;
  const env = withStoredSettings(parseEnv(input.env), stored);
  const fromSettings = env.fromSettings;
  const flags = input.flags ?? {};
  const flagProvider = flags.provider?.trim() || undefined;
  const flagModel = flags.model?.trim() || undefined;

  let name: ProviderName;
  let reason: string;
  if (flagProvider !== undefined) {
    name = checkProviderName(flagProvider, "--provider");
    reason = `--provider ${name}`;
  } else if (env.BRIGHTRUN_PROVIDER !== undefined) {
    name = checkProviderName(env.BRIGHTRUN_PROVIDER, "BRIGHTRUN_PROVIDER");
    reason = `BRIGHTRUN_PROVIDER=${name}`;
  } else if (env.ANTHROPIC_API_KEY !== undefined && !fromSettings.has("ANTHROPIC_API_KEY")) {
    name = "anthropic";
    reason = "ANTHROPIC_API_KEY is set";
  } else if ((env.OPENAI_API_KEY !== undefined && !fromSettings.has("OPENAI_API_KEY")) || (env.OPENAI_BASE_URL !== undefined && !fromSettings.has("OPENAI_BASE_URL"))) {
    name = "openai";
    reason = env.OPENAI_API_KEY !== undefined && !fromSettings.has("OPENAI_API_KEY") ? "OPENAI_API_KEY is set" : `OPENAI_BASE_URL is set (${env.OPENAI_BASE_URL})`;
  } else if (stored?.provider) {
    name = stored.provider;
    reason = `${stored.provider} saved in Settings`;
  } else {
    name = "simulated";
    reason = "no ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL is set";
  }

  const savedModel = stored?.provider === name && stored.model ? stored.model : undefined;
  const requestedModel = flagModel ?? env.BRIGHTRUN_MODEL ?? savedModel;
  const modelSource = flagModel !== undefined ? "--model" : env.BRIGHTRUN_MODEL !== undefined ? "BRIGHTRUN_MODEL" : savedModel !== undefined ? "Settings" : null;
  const timeoutMs = env.BRIGHTRUN_LLM_TIMEOUT_MS ?? DEFAULT_LLM_TIMEOUT_MS;

  if (name === "simulated") {
    const provider = createSimulatedProvider();
    const ignored = requestedModel !== undefined ? `; ${modelSource} ${requestedModel} ignored` : "";
    return {
      provider,
      model: provider.defaultModel,
      reason: `${reason}: using the simulated composer, which is not a language model${ignored}`,
    };
  }

  const model = requestedModel ?? DEFAULT_MODELS[name];
  const modelNote = modelSource === null ? `default model ${model}` : `model ${model} from ${modelSource}`;

  if (name === "anthropic") {
    if (env.ANTHROPIC_API_KEY === undefined) {
      throw new AppError(
        "provider_not_configured",
        "The anthropic provider needs an API key. Set ANTHROPIC_API_KEY or enter a key on the Settings page, or use --provider simulated to run without a language model.",
        { retryable: false, detail: { provider: "anthropic", missing: ["ANTHROPIC_API_KEY"] } },
      );
    }
    const provider = createAnthropicProvider({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL, model, timeoutMs });
    return { provider, model, reason: `${reason}; ${modelNote}` };
  }

  if (env.OPENAI_API_KEY === undefined && env.OPENAI_BASE_URL === undefined) {
    throw new AppError(
      "provider_not_configured",
      "The openai provider needs OPENAI_API_KEY (for OpenAI) or OPENAI_BASE_URL (for an OpenAI-compatible server such as vLLM, Ollama, llama.cpp or LM Studio). Set one or enter it on the Settings page, or use --provider simulated to run without a language model.",
      { retryable: false, detail: { provider: "openai", missing: ["OPENAI_API_KEY", "OPENAI_BASE_URL"] } },
    );
  }
  const provider = createOpenAIProvider({
    apiKey: env.OPENAI_API_KEY ?? LOCAL_SERVER_API_KEY_PLACEHOLDER,
    baseURL: env.OPENAI_BASE_URL,
    model,
    timeoutMs,
    tokenLimitField: env.BRIGHTRUN_OPENAI_TOKEN_FIELD,
  });
  const where = env.OPENAI_BASE_URL !== undefined ? ` at ${env.OPENAI_BASE_URL}` : "";
  return { provider, model, reason: `${reason}; ${modelNote}${where}` };
}

/**
 * The environment with the saved settings filling the provider variables that are unset (the saved
 * key and base URL only for the saved provider); `fromSettings` names the variables filled.
 */
function withStoredSettings(env: ProviderEnv, stored: StoredProviderSettings | null): ProviderEnv & { fromSettings: Set<string> } {
  const fromSettings = new Set<string>();
  const out: ProviderEnv & { fromSettings: Set<string> } = { ...env, fromSettings };
  if (!stored?.provider || stored.provider === "simulated") return out;
  const [keyVar, urlVar] = stored.provider === "anthropic" ? (["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"] as const) : (["OPENAI_API_KEY", "OPENAI_BASE_URL"] as const);
  if (out[keyVar] === undefined && stored.apiKey) {
    out[keyVar] = stored.apiKey;
    fromSettings.add(keyVar);
  }
  if (out[urlVar] === undefined && stored.baseUrl) {
    out[urlVar] = stored.baseUrl;
    fromSettings.add(urlVar);
  }
  return out;
}

function parseEnv(raw: Record<string, string | undefined>): ProviderEnv {
  const parsed = providerEnvSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join(".")} ${issue.message}`);
  throw new AppError("invalid_environment", `Provider settings are not valid: ${problems.join("; ")}.`, {
    retryable: false,
    detail: { issues: parsed.error.issues },
  });
}

function checkProviderName(value: string, source: string): ProviderName {
  const name = value.trim().toLowerCase();
  if ((PROVIDER_NAMES as readonly string[]).includes(name)) return name as ProviderName;
  throw new AppError(
    "unknown_provider",
    `Unknown provider "${value}" (from ${source}). Valid providers are: ${PROVIDER_NAMES.join(", ")}.`,
    { retryable: false, detail: { provider: value, source, valid: [...PROVIDER_NAMES] } },
  );
}
