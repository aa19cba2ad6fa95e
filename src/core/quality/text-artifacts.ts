/**
 * Leftovers of the generation process that must not reach a training set: model disclaimers and
 * refusals, unfilled template placeholders, template labels pasted in as text, and fragments of
 * the reply's JSON or its code fence. These are fixed phrases and syntax, so they are matched
 * with patterns; no language library recognises them.
 */

/** "As an AI language model…", "I'm just an AI", "my training data…": the trained assistant would learn to say it. */
export const AI_DISCLAIMER =
  /\b(as an ai\b|as a (large )?language model|as an? (ai|artificial intelligence) (language )?(model|assistant)|i('m|’m| am) (just |only )?an ai\b|i('m|’m| am) an ai (language )?model|my (training data|knowledge cutoff)|i (don('|’)?t|do not) have (personal )?(experiences?|opinions|feelings|emotions|a body)\b|i (can('|’)?t|cannot) browse the internet)/i;

/** A blanket refusal ("I'm sorry, but I can't help with that"). */
export const REFUSAL =
  /\b(i('m|’m| am) sorry,? but i (can('|’)?t|cannot|am unable to|won('|’)t) (help|assist|comply|provide|do that)|i (can('|’)?t|cannot) (help|assist) with (that|this)( request)?|i('m|’m| am) (not able|unable) to (help|assist) with (that|this)|i must decline)/i;

/** Unfilled placeholders: "{persona}", "{{name}}", "${topic}", "[insert name]", "<placeholder>", "lorem ipsum". */
export const PLACEHOLDER =
  /\{\{|\}\}|\$\{[^}\n]*\}|\{\s*[A-Za-z_][\w .-]{0,40}\}|\[\s*(insert|your|client|customer|name|company|business|persona|emotion|topic|intent|tone|product|date|amount)\b[^\]\n]{0,40}\]|<\s*(placeholder|persona|emotion|topic|name)\s*>|lorem ipsum/i;

/** A template's label phrase instead of speech: "As a Worried Parent feeling Anxiety to Relief…". */
export const LABEL_PHRASE = /\bas an? (?:\p{Lu}[\p{L}'’-]*\s+){1,5}(?:who is |who's |who’s )?feeling\b/u;

/** Field or speaker labels at the start of a line inside a turn: "Persona: …", "Emotion: …", "User: …". */
export const FIELD_LABEL = /^\s*\**(persona|emotion|emotional arc|topic|intent|tone|tier|scenario|user|assistant|human|ai|system)\**\s*:/im;

/** Keys of the conversation contract (`{"turns":[{"role","content"}]}`) leaking into a turn. */
export const CONTRACT_KEYS = /"(role|content|turns)"\s*:/i;

/** A JSON object or array of objects written out as text: `{"key": …` or `[{"key": …`. */
export const JSON_OBJECT = /[[{]\s*"[^"\n]{1,40}"\s*:/;

/** Removes fenced code blocks (```…```), keeping text outside them. */
export function withoutCodeBlocks(text: string): string {
  return text.replace(/```[\s\S]*?```/g, " ");
}

/** Number of ``` fences in a text; an odd number means one was left open (or closed without opening). */
export function countCodeFences(text: string): number {
  return (text.match(/```/g) ?? []).length;
}

/**
 * The taxonomy labels of a conversation (persona, emotion, intent, tone names) that appear in
 * `text` exactly as written in Title Case, e.g. "Worried Parent". Only names of two or more words
 * with at least two capitalised words count: one-word or sentence-case names ("Place an order")
 * read naturally in speech.
 *
 * @returns the labels found, as written in `labels`
 */
export function pastedLabels(text: string, labels: ReadonlyArray<string>): string[] {
  return labels.filter((label) => labelPattern(label, "u")?.test(text) ?? false);
}

/**
 * Whether `text` contains `label` (two words or more) in any letter case, as whole words:
 * "a fairly typical ambitious young professional" contains "Ambitious Young Professional".
 */
export function mentionsLabel(text: string, label: string): boolean {
  return labelPattern(label, "iu")?.test(text) ?? false;
}

/**
 * Compiled whole-word patterns of labels, kept because the same few labels are tested on every
 * turn; null for a label that does not qualify (see pastedLabels and mentionsLabel).
 */
const labelPatterns = new Map<string, RegExp | null>();

function labelPattern(label: string, flags: "u" | "iu"): RegExp | null {
  const key = `${flags}:${label}`;
  let pattern = labelPatterns.get(key);
  if (pattern === undefined) {
    if (labelPatterns.size >= 1000) labelPatterns.clear();
    const words = label.trim().split(/\s+/);
    const qualifies = words.length >= 2 && (flags === "iu" || words.filter((word) => /^\p{Lu}/u.test(word)).length >= 2);
    const escaped = label.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
    pattern = qualifies ? new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, flags) : null;
    labelPatterns.set(key, pattern);
  }
  return pattern;
}
