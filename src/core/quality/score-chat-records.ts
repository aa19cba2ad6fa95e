/**
 * Scores conversations written as OpenAI chat records, one JSON object per line (JSONL), without
 * importing them: what `brightrun quality score FILE.jsonl` runs (issue 12, item 2).
 *
 * A line is `{"messages":[{"role","content"},…], "metadata"?: {"persona","emotion","topic",
 * "intent","tone","tier"}}`, the OpenAI fine-tuning chat format
 * (https://platform.openai.com/docs/guides/supervised-fine-tuning, "chat" examples) with this
 * project's optional metadata. System messages are left out of the score: they are the
 * assistant's instructions, not the conversation.
 */
import { z } from "zod";
import { TIERS, type Tier } from "../../lib/constants";
import type { QualityCriterion, QualityInput } from "./quality-types";
import { scoreConversation } from "./score-conversation";

/** The result for one line of the file: a score, or an error saying what is wrong with the line. */
export type ChatRecordScore =
  | {
      /** 1-based line number in the file. */
      line: number;
      /** 1-10, one decimal. */
      score: number;
      flagged: boolean;
      /** The problems in plain English, blocking ones first; empty when there are none. */
      reasons: string[];
      /** QUALITY_SCORER_VERSION of the rules used. */
      version: number;
      breakdown: QualityCriterion[];
    }
  | { line: number; error: string };

const contentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();
const message = z.object({
  role: z.string({ error: "a message has no \"role\" text" }),
  content: z.union([z.string(), z.array(contentPart), z.null()], { error: "a message's \"content\" must be text (or a list of text parts)" }).optional(),
});
const metadataText = z.string({ error: "metadata values must be text" }).optional();
const record = z.object(
  {
    messages: z.array(message, { error: 'it has no "messages" list' }).min(1, { error: '"messages" is empty' }),
    metadata: z
      .object(
        { persona: metadataText, emotion: metadataText, topic: metadataText, intent: metadataText, tone: metadataText, tier: metadataText },
        { error: '"metadata" must be an object' },
      )
      .passthrough()
      .optional(),
  },
  { error: "it is not a JSON object" },
);

/**
 * Scores every non-blank line of a JSONL text. A line that cannot be read gets an `error` entry
 * (plain English: what is wrong and on which line) and the other lines are still scored; blank
 * lines are skipped.
 *
 * @param text the file's content (UTF-8 text; a leading byte-order mark is ignored)
 * @returns one entry per non-blank line, in file order. Throws nothing.
 */
export function scoreChatRecords(text: string): ChatRecordScore[] {
  const results: ChatRecordScore[] = [];
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, index) => {
      if (raw.trim() === "") return;
      results.push(scoreChatRecordLine(raw, index + 1));
    });
  return results;
}

/**
 * Scores one JSONL line (see the module comment for its shape).
 *
 * @param raw the line's text
 * @param line its 1-based line number, used in the result and in error messages
 * @returns a score entry, or `{ line, error }` when the line is not a readable chat record. Throws nothing.
 */
export function scoreChatRecordLine(raw: string, line: number): ChatRecordScore {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return { line, error: `Line ${line} is not valid JSON (${error instanceof Error ? error.message : String(error)}). Each line must be one JSON object such as {"messages":[{"role":"user","content":"…"},{"role":"assistant","content":"…"}]}.` };
  }
  const checked = record.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = describePath(issue.path);
    return { line, error: `Line ${line} is not an OpenAI chat record: ${issue.message}${where}. Expected {"messages":[{"role":"user","content":"…"},…]} with optional "metadata".` };
  }
  const metadata = checked.data.metadata ?? {};
  const tier = parseTier(metadata.tier);
  if (tier === "invalid") return { line, error: `Line ${line}: metadata.tier is "${metadata.tier}"; it must be one of ${TIERS.join(", ")} (or left out).` };

  const turns = checked.data.messages
    .filter((entry) => entry.role !== "system")
    .map((entry) => ({ role: entry.role, content: contentText(entry.content) }));
  if (turns.length === 0) return { line, error: `Line ${line} has only system messages; there is no conversation to score.` };

  const input: QualityInput = {
    turns,
    persona: metadata.persona ? { name: metadata.persona } : null,
    topic: metadata.topic ? { name: metadata.topic, keyTerms: [] } : null,
    emotion: metadata.emotion ? { name: metadata.emotion } : null,
    intent: metadata.intent ?? null,
    tone: metadata.tone ?? null,
    tier,
  };
  const result = scoreConversation(input);
  return { line, score: result.score, flagged: result.flagged, reasons: result.reasons ?? [], version: result.version, breakdown: result.breakdown };
}

/** Where in the record a problem is, for people: " (message 3)", " (metadata.tier)". */
function describePath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "";
  if (path[0] === "messages" && typeof path[1] === "number") return ` (message ${path[1] + 1})`;
  return ` (${path.map(String).join(".")})`;
}

function contentText(content: string | ReadonlyArray<{ type: string; text?: string }> | null | undefined): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("\n");
}

/** "Edge case", "edge-case" and "EDGE_CASE" all name the edge_case tier. */
function parseTier(value: string | undefined): Tier | null | "invalid" {
  if (value === undefined || value.trim() === "") return null;
  const normalized = value.trim().toLowerCase().replace(/[\s-]+/g, "_");
  return (TIERS as readonly string[]).includes(normalized) ? (normalized as Tier) : "invalid";
}
