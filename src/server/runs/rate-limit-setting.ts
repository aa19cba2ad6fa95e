import "server-only";
/**
 * Rate limits the user sets (docs/engine.md, "Limits"): the text form used by the CLI flags and
 * BRIGHTRUN_RATE_LIMITS, parsed into per-minute figures with where they were set. They are stored
 * on each run they apply to, so every worker that takes the run's jobs applies them.
 */
import { AppError } from "../../core/errors";

/** Rate limits the user set for a run, per minute (absent = learned from headers, or none). */
export interface ConfiguredRateLimits {
  requestsPerMinute?: number;
  inputTokensPerMinute?: number;
  outputTokensPerMinute?: number;
  /** Input + output tokens together (OpenAI's TPM). */
  tokensPerMinute?: number;
  /** Where they were set: "--rpm", "BRIGHTRUN_RATE_LIMITS", "the workspace's settings". */
  source: string;
}

const KEYS = {
  rpm: "requestsPerMinute",
  itpm: "inputTokensPerMinute",
  otpm: "outputTokensPerMinute",
  tpm: "tokensPerMinute",
} as const;

/**
 * Parses "rpm=240,itpm=400000,otpm=80000,tpm=…" (any subset, per minute, positive whole numbers).
 * @param source named in errors and stored with the limits ("BRIGHTRUN_RATE_LIMITS")
 * @throws AppError "invalid_rate_limits" naming the source and the bad part
 */
export function parseRateLimitSetting(text: string, source: string): ConfiguredRateLimits | null {
  const out: ConfiguredRateLimits = { source };
  let any = false;
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const match = /^(rpm|itpm|otpm|tpm)=(\d+)$/i.exec(part.trim());
    if (!match || Number(match[2]) < 1) {
      throw new AppError(
        "invalid_rate_limits",
        `${source} has "${part}", which is not a rate limit. Write per-minute limits as rpm=240,itpm=400000,otpm=80000,tpm=1000000 (any of them, whole numbers of 1 or more).`,
      );
    }
    out[KEYS[match[1].toLowerCase() as keyof typeof KEYS]] = Number(match[2]);
    any = true;
  }
  return any ? out : null;
}

/**
 * Rate limits from CLI flags (`--rpm`, `--itpm`, `--otpm`, `--tpm`), or `fallback` (the
 * environment's) when no flag is given.
 * @throws AppError "invalid_rate_limits" for a flag that is not a positive whole number
 */
export function rateLimitsFromFlags(
  flags: { rpm?: string; itpm?: string; otpm?: string; tpm?: string },
  fallback: ConfiguredRateLimits | null,
): ConfiguredRateLimits | null {
  const given = (Object.keys(KEYS) as Array<keyof typeof KEYS>).filter((k) => flags[k] !== undefined && flags[k] !== "");
  if (!given.length) return fallback;
  return parseRateLimitSetting(given.map((k) => `${k}=${flags[k]}`).join(","), given.map((k) => `--${k}`).join(" "));
}
