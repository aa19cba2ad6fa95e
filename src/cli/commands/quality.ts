/**
 * `brightrun quality score FILE.jsonl [--json]`: the structural quality score of conversations in
 * a file of OpenAI chat records, without importing them and without opening the database
 * (issue 12, item 2; the rules are in docs/quality.md).
 */
import fs from "node:fs/promises";
import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { scoreChatRecords, type ChatRecordScore } from "../../core/quality/score-chat-records";
import { resolveUserPath, writeStdout } from "../output";

/**
 * Reads the file to score.
 *
 * @throws AppError `file_not_found` (missing), `file_unreadable` (a folder, no permission, other I/O errors)
 */
async function readRecordsFile(file: string): Promise<string> {
  try {
    return await fs.readFile(resolveUserPath(file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const shown = resolveUserPath(file);
    if (code === "ENOENT") throw new AppError("file_not_found", `Cannot score "${shown}": no such file. Check the path and try again.`, { cause: error });
    if (code === "EISDIR") throw new AppError("file_unreadable", `Cannot score "${shown}": it is a folder. Give the path of a .jsonl file with one chat record per line.`, { cause: error });
    if (code === "EACCES" || code === "EPERM") throw new AppError("file_unreadable", `Cannot score "${shown}": permission denied. Check the file's permissions and try again.`, { cause: error });
    throw new AppError("file_unreadable", `Cannot read "${shown}" (${code ?? (error instanceof Error ? error.message : String(error))}). Check the path and try again.`, { cause: error });
  }
}

/**
 * The readable report: one row per line (line, score, flagged, the main reasons), then a summary.
 *
 * @param results what scoreChatRecords returned
 * @param file the path as the user typed it (for the summary)
 * @returns the lines to print
 */
export function formatQualityTable(results: ChatRecordScore[], file: string): string[] {
  if (results.length === 0) return [`${file} has no records (every line is blank).`];
  const lines = ["Line   Score  Flagged  Main reasons"];
  for (const result of results) {
    const line = String(result.line).padStart(4);
    if ("error" in result) {
      lines.push(`${line}      —  error    ${result.error}`);
      continue;
    }
    const reasons = result.reasons.length === 0 ? "—" : result.reasons.slice(0, 2).map((reason) => clip(reason, 110)).join(" | ");
    lines.push(`${line}  ${result.score.toFixed(1).padStart(5)}  ${(result.flagged ? "yes" : "no").padEnd(7)}  ${reasons}`);
  }
  const scored = results.filter((result): result is Extract<ChatRecordScore, { score: number }> => "score" in result);
  const errors = results.length - scored.length;
  const flagged = scored.filter((result) => result.flagged).length;
  const high = scored.filter((result) => result.score >= 8).length;
  const average = scored.length === 0 ? null : scored.reduce((sum, result) => sum + result.score, 0) / scored.length;
  lines.push("");
  lines.push(
    `Scored ${scored.length} ${scored.length === 1 ? "conversation" : "conversations"} from ${file}: ${high} high (8-10), ${scored.length - high - flagged} medium (6 to under 8), ${flagged} flagged for review (under 6)` +
      (average === null ? "." : `; average ${average.toFixed(1)}.`) +
      (errors > 0 ? ` ${errors} ${errors === 1 ? "line" : "lines"} could not be read (see above).` : ""),
  );
  return lines;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

const score = defineCommand({
  meta: {
    name: "score",
    description:
      'Score the conversations of a JSONL file of OpenAI chat records ({"messages":[…], "metadata"?: {persona, emotion, topic, intent, tone, tier}}) without importing them. Exit code 0 whenever the file was read, flagged lines included.',
  },
  args: {
    file: { type: "positional", description: "The .jsonl file, one chat record per line.", required: true, valueHint: "FILE.jsonl" },
    json: { type: "boolean", description: 'Print a JSON array, one entry per line in order: {"line", "score", "flagged", "reasons", "version", "breakdown"}, or {"line", "error"} for a line that cannot be read.' },
  },
  async run({ args }) {
    const text = await readRecordsFile(args.file);
    const results = scoreChatRecords(text);
    if (args.json) writeStdout(`${JSON.stringify(results, null, 2)}\n`);
    else writeStdout(`${formatQualityTable(results, args.file).join("\n")}\n`);
  },
});

export default defineCommand({
  meta: { name: "quality", description: "The structural quality score (1-10) outside the database: score a file of chat records." },
  subCommands: { score },
});
