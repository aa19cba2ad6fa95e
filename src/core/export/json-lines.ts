/**
 * JSON Lines helpers: one JSON value per line, lines separated by "\n", the file ending with
 * "\n" (https://jsonlines.org/: "each line is a valid JSON value", "the line separator is '\n'").
 */

/**
 * One record as one JSONL line (no trailing newline).
 *
 * `JSON.stringify` already escapes "\n" and "\r" inside strings; this also escapes U+2028 and
 * U+2029, which JSON allows raw but which Python's `str.splitlines()` and some JavaScript
 * tools treat as line breaks, so a record would be split in two.
 *
 * Throws the `TypeError` of `JSON.stringify` for values JSON cannot hold (BigInt, cycles).
 */
export function toJsonLine(record: unknown): string {
  return JSON.stringify(record).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * A JSONL file's lines, 1-based as people count them. The single empty string after the final
 * "\n" is not a line; every other empty line is kept so that validators can report it.
 * A "\r" before a "\n" (Windows line ending) is removed.
 */
export function splitJsonLines(content: string): Array<{ line: number; text: string }> {
  if (content === "") return [];
  const parts = content.split("\n");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts.map((text, index) => ({ line: index + 1, text: text.endsWith("\r") ? text.slice(0, -1) : text }));
}

/** A JSON document as written to a file: two-space indentation and a final newline. */
export function toJsonDocument(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
