import "server-only";
/**
 * Environment variables, validated once with zod (ARCHITECTURE.md, "Validate at the boundary").
 * Read through `readEnv()`; a bad value fails at start with a message naming the variable.
 */
import { z } from "zod";
import { AppError } from "../core/errors";

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const envSchema = z.object({
  /** PostgreSQL URL; when unset the embedded PGlite database in BRIGHTRUN_DATA_DIR is used. */
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: "must start with postgres:// or postgresql://",
  }),
  /** Folder of the embedded database, exports and lockfile. Default ./.brightrun */
  BRIGHTRUN_DATA_DIR: optionalText,
  BRIGHTRUN_PROVIDER: optionalText,
  BRIGHTRUN_MODEL: optionalText,
  /** Who the local user is in logs (reviewer_id, user_id). Default: the OS user name. */
  BRIGHTRUN_USER: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalText,
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText,
  BRIGHTRUN_PRICES: optionalText,
});

export type Env = z.infer<typeof envSchema>;

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
