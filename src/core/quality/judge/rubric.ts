/**
 * The judge's rubric (docs/quality.md, "The judge"): six criteria a language model scores 1–10
 * with a reason each, the strict shape of its reply, how the overall judge score is computed, and
 * the stored result beside the structural score. Pure: no database, no network.
 *
 * The rubric is versioned (JUDGE_RUBRIC_VERSION): every stored verdict carries the version that
 * produced it, so verdicts stored before a rubric change stay readable as they were.
 */
import { z } from "zod";
import { AppError } from "../../errors";
import { stripFence } from "../../llm/parse-reply";

/** Version of the rubric and prompt below. Raise it whenever a criterion, its wording or the overall rule changes. */
export const JUDGE_RUBRIC_VERSION = 1;

/** The rubric's criteria, in the order the prompt lists them and the web shows them. */
export const JUDGE_CRITERIA = ["arc_followed", "persona_kept", "tone_kept", "grounded", "helpful", "safe"] as const;
export type JudgeCriterionId = (typeof JUDGE_CRITERIA)[number];

/** What each criterion asks the judge, as the prompt says it and the web labels it. */
export const JUDGE_CRITERION_TEXT: Record<JudgeCriterionId, { label: string; question: string }> = {
  arc_followed: {
    label: "Emotional arc followed",
    question:
      "Does the user's emotion move turn by turn from the arc's starting emotion to its ending emotion, as the arc's turn structure describes, with the assistant's replies causing that change?",
  },
  persona_kept: {
    label: "Persona kept",
    question: "Does the user speak as the persona throughout (their situation, knowledge, concerns and way of speaking), without drifting into someone else?",
  },
  tone_kept: {
    label: "Tone kept",
    question: "Does the assistant keep the requested tone in every reply?",
  },
  grounded: {
    label: "Grounded in the source",
    question:
      "Is everything the assistant states about the business, its products, prices, processes or policies supported by the source chunk? Score low for any invented or contradicted fact about the business; general knowledge that is correct is allowed.",
  },
  helpful: {
    label: "Helpful",
    question: "Does the assistant answer what the user actually asks, correctly and specifically, so the user could act on it?",
  },
  safe: {
    label: "Safe",
    question:
      "Is the assistant safe and responsible: no harmful, misleading or overconfident advice (no guarantees it cannot make), appropriate caveats and referrals, no disclosure of private data?",
  },
};

/** A criterion at or below this score caps the overall score when it is `safe` or `grounded` (see judgeOverallScore). */
export const JUDGE_BLOCKING_SCORE = 3;

/** The most reply tokens one judge call may use (its `max_tokens`; the estimate and the spending limit reserve it). */
export const JUDGE_MAX_TOKENS = 1_200;

/** Temperature of judge calls: 0, so the same conversation gets the same verdict as far as the model allows. */
export const JUDGE_TEMPERATURE = 0;

const criterionVerdict = z.strictObject({
  score: z.number().int("must be a whole number from 1 to 10").min(1, "must be from 1 to 10").max(10, "must be from 1 to 10"),
  reason: z.string().refine((v) => v.trim().length > 0, { message: "reason is empty" }),
});

/** The judge's reply, strictly: every criterion, nothing else, and a one-sentence summary. */
export const judgeReplySchema = z.strictObject({
  criteria: z.strictObject(Object.fromEntries(JUDGE_CRITERIA.map((id) => [id, criterionVerdict])) as Record<JudgeCriterionId, typeof criterionVerdict>),
  summary: z.string().refine((v) => v.trim().length > 0, { message: "summary is empty" }),
});
export type JudgeReply = z.infer<typeof judgeReplySchema>;

/** One criterion as stored and shown: its id, label, the judge's score (1–10) and reason. */
export interface JudgeCriterionResult {
  id: JudgeCriterionId;
  label: string;
  score: number;
  reason: string;
}

/**
 * A judge's verdict or failure, stored in `conversations.judge_breakdown` beside the structural
 * `quality_breakdown` (and its overall score in `judge_score`).
 */
export interface StoredJudgeResult {
  rubricVersion: number;
  /** "judged": the reply parsed and `score` is set; "failed": no usable verdict, `error` says why. */
  status: "judged" | "failed";
  /** Overall judge score, 1–10 with one decimal (judgeOverallScore); null when failed. */
  score: number | null;
  criteria: JudgeCriterionResult[];
  /** The judge's one-sentence summary; empty when failed. */
  summary: string;
  /** Why there is no verdict, in plain English (the code is the AppError's). */
  error: { code: string; message: string; retryable: boolean } | null;
  /** The judge's last raw reply when it could not be used, kept for inspection; null otherwise. */
  rawReply: string | null;
  provider: string;
  model: string;
  /** The run whose judge call this was. */
  runId: string | null;
  /** ISO 8601. */
  judgedAt: string;
  /** Every judge call for this verdict together (retries included): tokens and USD. */
  usage: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
}

/**
 * The overall judge score: the arithmetic mean of the six criterion scores, rounded to one
 * decimal; when `safe` or `grounded` is at or below JUDGE_BLOCKING_SCORE (3), the overall score is
 * capped at the lower of the two (an unsafe or invented answer is not a good training example,
 * however good the rest is).
 *
 * @param reply a parsed judge reply
 * @returns 1–10, one decimal
 */
export function judgeOverallScore(reply: JudgeReply): number {
  const scores = JUDGE_CRITERIA.map((id) => reply.criteria[id].score);
  let overall = scores.reduce((sum, s) => sum + s, 0) / scores.length;
  const blocking = Math.min(reply.criteria.safe.score, reply.criteria.grounded.score);
  if (blocking <= JUDGE_BLOCKING_SCORE) overall = Math.min(overall, blocking);
  return Math.round(overall * 10) / 10;
}

/**
 * Parses the judge's reply text strictly: JSON (a ```json fence is tolerated) of exactly
 * `{"criteria":{"arc_followed":{"score":1-10,"reason":"…"}, … all six …},"summary":"…"}`.
 * Never guesses a score: anything else is an error.
 *
 * @returns the reply, its overall score and its criteria in rubric order
 * @throws AppError `malformed_response` (retryable) naming what is wrong — not JSON, a missing or
 *   extra criterion, a score outside 1–10, an empty reason; `detail.issues` lists them
 */
export function parseJudgeReply(text: string): { reply: JudgeReply; score: number; criteria: JudgeCriterionResult[] } {
  const body = stripFence(text.trim());
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    throw new AppError("malformed_response", `The judge's reply is not valid JSON (${(error as Error).message}). Its raw reply is kept with the verdict.`, {
      retryable: true,
      detail: { issues: [{ path: [], message: "not JSON" }] },
    });
  }
  const parsed = judgeReplySchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
    const shown = issues.slice(0, 3).map((i) => `${i.path.join(".") || "the reply"}: ${i.message}`);
    throw new AppError(
      "malformed_response",
      `The judge's reply is not the rubric's JSON: ${shown.join("; ")}${issues.length > 3 ? ` and ${issues.length - 3} more` : ""}. Its raw reply is kept with the verdict.`,
      { retryable: true, detail: { issues } },
    );
  }
  const reply = parsed.data;
  return {
    reply,
    score: judgeOverallScore(reply),
    criteria: JUDGE_CRITERIA.map((id) => ({ id, label: JUDGE_CRITERION_TEXT[id].label, score: reply.criteria[id].score, reason: reply.criteria[id].reason.trim() })),
  };
}

const storedJudgeSchema = z.object({
  rubricVersion: z.number().int().min(1),
  status: z.enum(["judged", "failed"]),
  score: z.number().nullable(),
  criteria: z.array(z.object({ id: z.string(), label: z.string(), score: z.number(), reason: z.string() })),
  summary: z.string(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
  rawReply: z.string().nullable(),
  provider: z.string(),
  model: z.string(),
  runId: z.string().nullable(),
  judgedAt: z.string(),
  usage: z.object({ calls: z.number(), inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() }),
});

/**
 * Reads a stored `judge_breakdown` value.
 * @param value the JSON as stored; null/undefined = not judged
 * @returns the result, or null when the conversation was never judged
 * @throws AppError `judge_unreadable` when the value is not a judge result of any rubric version
 */
export function readStoredJudge(value: unknown): StoredJudgeResult | null {
  if (value === null || value === undefined) return null;
  const parsed = storedJudgeSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("judge_unreadable", "This conversation's stored judge verdict is damaged or in an unknown format. Judge it again with `brightrun judge ID`.", {
      detail: { issues: parsed.error.issues.slice(0, 5) },
    });
  }
  return parsed.data as StoredJudgeResult;
}
