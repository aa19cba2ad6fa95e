/**
 * YAML front matter of imported `.md` / `.txt` documents: the block between a `---` line at the very
 * top of the file and the next `---` (or `...`) line. The parsed value is returned unvalidated;
 * callers check it with `documentFrontMatterSchema` (schemas.ts).
 */
import { parseDocument } from "yaml";
import { AppError } from "../errors";

/** Result of {@link parseFrontMatter}. */
export interface FrontMatter {
  /** The parsed YAML value: `{}` when the file has no front matter or an empty block; otherwise whatever the YAML holds (usually an object). */
  data: unknown;
  /** The document text after the closing fence (the whole text when there is no front matter). Line endings normalised to `\n`. */
  body: string;
  /** 1-based line number in the file where `body` starts (1 when there is no front matter). */
  bodyStartLine: number;
}

const OPENING_FENCE = /^---[ \t]*$/;
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/;

/**
 * Split a document into its YAML front matter and its body.
 *
 * Front matter is recognised only when the file's first line (after an optional byte-order mark) is
 * exactly `---`; it ends at the next line that is `---` or `...`. Windows line endings are accepted.
 *
 * @param text the whole file content
 * @param fileName the file's path as the user knows it (e.g. "notes/roth.md"); used only in error messages
 * @returns `{ data, body, bodyStartLine }`; `data` is `{}` when there is no front matter or it is empty
 * @throws AppError `import_invalid` when the opening fence has no closing fence, or the YAML does not
 *   parse; the message names the file and the 1-based file line, e.g.
 *   "notes/x.md line 3: front matter is not valid YAML: Map keys must be unique."
 */
export function parseFrontMatter(text: string, fileName: string): FrontMatter {
  const normalised = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = normalised.split("\n");
  if (lines.length === 0 || !OPENING_FENCE.test(lines[0])) {
    return { data: {}, body: normalised, bodyStartLine: 1 };
  }

  const closingIndex = lines.findIndex((line, index) => index > 0 && CLOSING_FENCE.test(line));
  if (closingIndex === -1) {
    throw new AppError(
      "import_invalid",
      `${fileName} line 1: the file starts with "---" (front matter) but has no closing "---" line. Add a "---" line after the front matter, or remove the first line if it is not front matter.`,
      { detail: { file: fileName, line: 1 } },
    );
  }

  const yamlText = lines.slice(1, closingIndex).join("\n");
  const body = lines.slice(closingIndex + 1).join("\n");
  const bodyStartLine = closingIndex + 2;

  const document = parseDocument(yamlText, { prettyErrors: false });
  const firstError = document.errors[0];
  if (firstError) {
    // The YAML starts on file line 2 (line 1 is the opening fence).
    const yamlLine = lineOfOffset(yamlText, firstError.pos[0]);
    const fileLine = Math.min(yamlLine + 1, closingIndex);
    const reason = firstError.message.replace(/\s+/g, " ").trim().replace(/\.?$/, ".");
    throw new AppError("import_invalid", `${fileName} line ${fileLine}: front matter is not valid YAML: ${reason}`, {
      cause: firstError,
      detail: { file: fileName, line: fileLine, yamlCode: firstError.code },
    });
  }

  const data: unknown = document.toJS();
  return { data: data ?? {}, body, bodyStartLine };
}

/** 1-based line of a character offset in `text` (offsets past the end count as the last line). */
function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}
