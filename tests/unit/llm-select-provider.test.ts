import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import { DEFAULT_MODELS } from "../../src/core/cost/prices";
import { selectProvider } from "../../src/core/llm/select-provider";

function selectionError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected selectProvider to throw");
}

describe("selectProvider", () => {
  it("uses the simulated composer when nothing is configured, and says it is not a language model", () => {
    const selection = selectProvider({ env: {} });
    expect(selection.provider.name).toBe("simulated");
    expect(selection.provider.isLanguageModel).toBe(false);
    expect(selection.model).toBe(DEFAULT_MODELS.simulated);
    expect(selection.reason).toBe(
      "no ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL is set: using the simulated composer, which is not a language model",
    );
  });

  it("treats blank variables as unset", () => {
    expect(selectProvider({ env: { ANTHROPIC_API_KEY: "  ", OPENAI_BASE_URL: "" } }).provider.name).toBe("simulated");
  });

  it("prefers anthropic when ANTHROPIC_API_KEY is set, with its default model", () => {
    const selection = selectProvider({ env: { ANTHROPIC_API_KEY: "sk-ant-1", OPENAI_API_KEY: "sk-1" } });
    expect(selection.provider.name).toBe("anthropic");
    expect(selection.provider.isLanguageModel).toBe(true);
    expect(selection.model).toBe("claude-sonnet-5-5");
    expect(selection.provider.defaultModel).toBe("claude-sonnet-5-5");
    expect(selection.reason).toBe("ANTHROPIC_API_KEY is set; default model claude-sonnet-5-5");
  });

  it("uses openai when OPENAI_API_KEY or only OPENAI_BASE_URL is set", () => {
    const withKey = selectProvider({ env: { OPENAI_API_KEY: "sk-1" } });
    expect(withKey.provider.name).toBe("openai");
    expect(withKey.model).toBe(DEFAULT_MODELS.openai);
    expect(withKey.reason).toBe("OPENAI_API_KEY is set; default model gpt-5.6-luna");

    const local = selectProvider({ env: { OPENAI_BASE_URL: "http://localhost:11434/v1", BRIGHTRUN_MODEL: "llama3.1:8b" } });
    expect(local.provider.name).toBe("openai");
    expect(local.model).toBe("llama3.1:8b");
    expect(local.reason).toBe(
      "OPENAI_BASE_URL is set (http://localhost:11434/v1); model llama3.1:8b from BRIGHTRUN_MODEL at http://localhost:11434/v1",
    );
  });

  it("lets flags win over BRIGHTRUN_PROVIDER / BRIGHTRUN_MODEL, which win over key detection", () => {
    const env = { ANTHROPIC_API_KEY: "sk-ant-1", OPENAI_API_KEY: "sk-1", BRIGHTRUN_PROVIDER: "openai", BRIGHTRUN_MODEL: "gpt-4.1" };
    const fromEnv = selectProvider({ env });
    expect(fromEnv).toMatchObject({ model: "gpt-4.1", reason: "BRIGHTRUN_PROVIDER=openai; model gpt-4.1 from BRIGHTRUN_MODEL" });
    expect(fromEnv.provider.name).toBe("openai");

    const fromFlags = selectProvider({ env, flags: { provider: "anthropic", model: "claude-haiku-4-5" } });
    expect(fromFlags.provider.name).toBe("anthropic");
    expect(fromFlags).toMatchObject({ model: "claude-haiku-4-5", reason: "--provider anthropic; model claude-haiku-4-5 from --model" });
  });

  it("keeps the simulated model name even when a model is asked for", () => {
    const selection = selectProvider({ env: { BRIGHTRUN_MODEL: "claude-sonnet-5-5" }, flags: { provider: "simulated" } });
    expect(selection.model).toBe(DEFAULT_MODELS.simulated);
    expect(selection.reason).toContain("BRIGHTRUN_MODEL claude-sonnet-5-5 ignored");
  });

  it("asks for ANTHROPIC_API_KEY when anthropic is requested without one", () => {
    const error = selectionError(() => selectProvider({ env: { OPENAI_API_KEY: "sk-1" }, flags: { provider: "anthropic" } }));
    expect(error.code).toBe("provider_not_configured");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      "The anthropic provider needs an API key. Set ANTHROPIC_API_KEY or enter a key on the Settings page, or use --provider simulated to run without a language model.",
    );
  });

  it("asks for OPENAI_API_KEY or OPENAI_BASE_URL when openai is requested without either", () => {
    const error = selectionError(() => selectProvider({ env: { BRIGHTRUN_PROVIDER: "openai" } }));
    expect(error.code).toBe("provider_not_configured");
    expect(error.message).toMatch(/needs OPENAI_API_KEY \(for OpenAI\) or OPENAI_BASE_URL .* use --provider simulated/);
  });

  it("lists the valid names for an unknown provider", () => {
    const error = selectionError(() => selectProvider({ env: {}, flags: { provider: "gemini" } }));
    expect(error.code).toBe("unknown_provider");
    expect(error.message).toBe('Unknown provider "gemini" (from --provider). Valid providers are: anthropic, openai, simulated.');
    expect(selectionError(() => selectProvider({ env: { BRIGHTRUN_PROVIDER: "claude" } })).message).toContain("(from BRIGHTRUN_PROVIDER)");
  });

  it("accepts provider names in any case", () => {
    expect(selectProvider({ env: { ANTHROPIC_API_KEY: "k" }, flags: { provider: "Anthropic" } }).provider.name).toBe("anthropic");
  });

  it("rejects bad environment values in plain English", () => {
    const badUrl = selectionError(() => selectProvider({ env: { OPENAI_BASE_URL: "localhost:11434" } }));
    expect(badUrl.code).toBe("invalid_environment");
    expect(badUrl.message).toBe("Provider settings are not valid: OPENAI_BASE_URL must be an http(s) URL such as http://localhost:11434/v1.");

    const badTimeout = selectionError(() => selectProvider({ env: { BRIGHTRUN_LLM_TIMEOUT_MS: "soon" } }));
    expect(badTimeout.message).toContain("BRIGHTRUN_LLM_TIMEOUT_MS");

    const badField = selectionError(() => selectProvider({ env: { OPENAI_API_KEY: "k", BRIGHTRUN_OPENAI_TOKEN_FIELD: "tokens" } }));
    expect(badField.message).toContain("BRIGHTRUN_OPENAI_TOKEN_FIELD");
  });
});
