/**
 * Whether generation runs are judged, and by which model: the engine's one judge setting
 * (`BRIGHTRUN_JUDGE`, read once in src/server/env.ts; `--judge MODEL` / `--no-judge` on
 * `brightrun generate` override it for one run). Off by default. Workspaces do not exist yet; when
 * they do, the workspace's setting takes this place.
 */
import { AppError } from "../../errors";

/**
 * - `off`: no judge (the default);
 * - `same`: the run's own generation model judges;
 * - `model`: that model, on the run's provider, judges.
 */
export type JudgeSetting = { mode: "off" } | { mode: "same" } | { mode: "model"; model: string };

export const JUDGE_OFF: JudgeSetting = { mode: "off" };

/**
 * Parses a judge setting: empty/`off`/`0`/`false`/`no` → off, `same`/`on`/`1`/`true`/`yes` → the
 * generation model, anything else → that model name (trimmed).
 * @param source the variable or flag it came from, named in errors
 * @throws AppError "argument_invalid" for a model name with whitespace inside
 */
export function parseJudgeSetting(value: string | undefined, source: string): JudgeSetting {
  const text = value?.trim() ?? "";
  const lower = text.toLowerCase();
  if (["", "off", "0", "false", "no"].includes(lower)) return JUDGE_OFF;
  if (["same", "on", "1", "true", "yes"].includes(lower)) return { mode: "same" };
  if (/\s/.test(text)) throw new AppError("argument_invalid", `${source} must be off, same, or a model name without spaces (got "${text}").`);
  return { mode: "model", model: text };
}

/**
 * The judge model of a run that generates with `generationModel`, or null when the judge is off.
 */
export function resolveJudgeModel(setting: JudgeSetting, generationModel: string): string | null {
  if (setting.mode === "off") return null;
  return setting.mode === "same" ? generationModel : setting.model;
}

/** The setting in words for the CLI line: "judge: off", "judge: claude-haiku-4-5 (BRIGHTRUN_JUDGE)". */
export function describeJudgeSetting(setting: JudgeSetting, generationModel: string, source: string): string {
  const model = resolveJudgeModel(setting, generationModel);
  return model ? `judge: ${model}${setting.mode === "same" ? " (the generation model)" : ""}, from ${source}` : `judge: off${source === "default" ? "" : `, from ${source}`}`;
}
