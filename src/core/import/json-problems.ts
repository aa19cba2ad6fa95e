/**
 * Reading JSON import files the way a person can act on: strict parsing that says where the first
 * syntax error is (line and column), zod issues with their JSON path and line, plainer words for
 * the commonest mistakes, and a file's kind from its top-level keys. Pure; used by every importer.
 */
import { findNodeAtLocation, parse as parseJsonc, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from "jsonc-parser";
import type { z } from "zod";

/** One thing wrong with one file: `where` is a line ("line 12, column 3") or a JSON path ("$.personas[2].key"). */
export interface ImportProblem {
  file: string;
  where: string | null;
  message: string;
}

/** "$.scenarios[3].source_section" from a zod issue path. */
export function jsonPath(pathParts: ReadonlyArray<PropertyKey>): string {
  return pathParts.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`), "$");
}

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Strict JSON parse (no comments, no trailing commas) through jsonc-parser, which, unlike
 * JSON.parse on Node 20, reports where the first error is.
 */
export function parseJson(text: string): { ok: true; value: unknown; tree: JsonNode | undefined } | { ok: false; where: string; message: string } {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length) {
    const first = errors[0];
    const { line, column } = lineAndColumn(text, first.offset);
    return { ok: false, where: `line ${line}, column ${column}`, message: `not valid JSON: ${describeJsonError(first.error)}` };
  }
  return { ok: true, value, tree: parseTree(text) };
}

function describeJsonError(code: number): string {
  const plain: Record<string, string> = {
    InvalidSymbol: "an unexpected character",
    InvalidNumberFormat: "a number is written wrongly",
    PropertyNameExpected: "a property name in double quotes was expected",
    ValueExpected: "a value was expected (is there a stray or trailing comma?)",
    ColonExpected: "a ':' was expected after the property name",
    CommaExpected: "a ',' was expected between items",
    CloseBraceExpected: "a closing '}' is missing",
    CloseBracketExpected: "a closing ']' is missing",
    EndOfFileExpected: "there is more text after the end of the JSON",
    InvalidCommentToken: "comments are not allowed in JSON",
    UnexpectedEndOfComment: "comments are not allowed in JSON",
    UnexpectedEndOfString: "a string is not closed with a double quote",
    UnexpectedEndOfNumber: "a number is cut off",
    InvalidUnicode: "an invalid \\u escape",
    InvalidEscapeCharacter: "an invalid escape character in a string",
    InvalidCharacter: "a control character inside a string",
  };
  const name = printParseErrorCode(code as ParseError["error"]);
  return plain[name] ?? name;
}

/** zod issues as problems, each with its JSON path and, where the node exists, its line. */
export function zodProblems(file: string, error: z.ZodError, text: string, tree: JsonNode | undefined): ImportProblem[] {
  return error.issues.map((issue) => {
    let node = tree ? findNodeAtLocation(tree, issue.path as Array<string | number>) : undefined;
    // A missing key has no node of its own: point at the object that lacks it.
    for (let depth = issue.path.length - 1; !node && tree && depth >= 0; depth--) node = findNodeAtLocation(tree, issue.path.slice(0, depth) as Array<string | number>);
    const where = node ? `line ${lineAndColumn(text, node.offset).line}, ${jsonPath(issue.path)}` : jsonPath(issue.path);
    return { file, where, message: issue.message };
  });
}

/** Plainer words than zod's defaults for the two most common mistakes. */
export const PLAIN_ERRORS = {
  error: (issue: { code: string; input?: unknown; keys?: string[] }) => {
    if (issue.code === "invalid_type" && issue.input === undefined) return "is required but missing";
    if (issue.code === "unrecognized_keys") return `has a field Bright Run does not know: ${(issue.keys ?? []).join(", ")} (check the spelling; see docs/import-formats.md)`;
    return undefined;
  },
};

/** Top-level keys that make a JSON file a taxonomy file. */
export const TAXONOMY_KEYS = ["personas", "emotional_arcs", "topics", "intents", "tones", "edge_case_categories", "outcomes"];

/** Identifies a JSON file's kind from its top-level keys. */
export function jsonKind(value: unknown): "workspace" | "chunks" | "scenarios" | "seeds" | "templates" | "taxonomy" | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.includes("workspace")) return "workspace";
  if (keys.includes("document") && keys.includes("chunks")) return "chunks";
  if (keys.includes("scenarios")) return "scenarios";
  if (keys.includes("conversations")) return "seeds";
  if (keys.includes("templates")) return "templates";
  if (keys.some((k) => TAXONOMY_KEYS.includes(k))) return "taxonomy";
  return null;
}
