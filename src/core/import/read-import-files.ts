/**
 * Reads and validates import files without touching the database: every problem in every file
 * is collected, so one run tells the user everything that is wrong (import is all or nothing).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { findNodeAtLocation, parse as parseJsonc, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from "jsonc-parser";
import type { z } from "zod";
import { AppError } from "../errors";
import { chunkDocument, summarizeText, type ChunkDraft } from "./chunk-document";
import { parseFrontMatter } from "./front-matter";
import { buildKeyTermCorpus, extractKeyTerms } from "./key-terms";
import {
  chunkFileSchema,
  documentFrontMatterSchema,
  scenariosFileSchema,
  seedConversationsFileSchema,
  taxonomyFileSchema,
  templatesFileSchema,
  workspaceFileSchema,
  type ScenariosFile,
  type SeedConversationsFile,
  type TaxonomyFile,
  type TemplatesFile,
  type WorkspaceFile,
} from "./schemas";

/** A document with its chunks, ready to store. */
export interface ParsedDocument {
  file: string;
  key: string;
  title: string;
  category: string;
  /** Full text for `.md`/`.txt`; null for upstream chunk files. */
  content: string | null;
  contentHash: string;
  chunks: Array<ChunkDraft & { key: string }>;
}

/** Everything read from an import path, by kind. `file` is relative to the import root. */
export interface ImportBundle {
  root: string;
  files: string[];
  workspace: Array<{ file: string; data: WorkspaceFile }>;
  taxonomy: Array<{ file: string; data: TaxonomyFile }>;
  documents: ParsedDocument[];
  scenarios: Array<{ file: string; data: ScenariosFile }>;
  seeds: Array<{ file: string; data: SeedConversationsFile }>;
  templates: Array<{ file: string; data: TemplatesFile }>;
}

/** One thing wrong with one file: `where` is a line ("line 12, column 3") or a JSON path ("$.personas[2].key"). */
export interface ImportProblem {
  file: string;
  where: string | null;
  message: string;
}

const IGNORED_NAMES = new Set(["readme.md", "readme.txt", "license", "license.md", "node_modules"]);

/** Files under `target` that import considers, sorted; a single file is returned as is. */
export function collectImportFiles(target: string): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) {
    throw new AppError("import_not_found", `Nothing to import at ${target}: no such file or folder. Check the path.`);
  }
  if (stat.isFile()) return [path.resolve(target)];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith(".") || IGNORED_NAMES.has(entry.name.toLowerCase())) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(md|txt|json)$/i.test(entry.name)) out.push(full);
    }
  };
  walk(path.resolve(target));
  return out;
}

/** "$.scenarios[3].source_section" from a zod issue path. */
export function jsonPath(pathParts: ReadonlyArray<PropertyKey>): string {
  return pathParts.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`), "$");
}

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Strict JSON parse (no comments, no trailing commas) through jsonc-parser, which, unlike
 * JSON.parse on Node 20, reports where the first error is.
 */
function parseJson(text: string): { ok: true; value: unknown; tree: JsonNode | undefined } | { ok: false; where: string; message: string } {
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
function zodProblems(file: string, error: z.ZodError, text: string, tree: JsonNode | undefined): ImportProblem[] {
  return error.issues.map((issue) => {
    let node = tree ? findNodeAtLocation(tree, issue.path as Array<string | number>) : undefined;
    // A missing key has no node of its own: point at the object that lacks it.
    for (let depth = issue.path.length - 1; !node && tree && depth >= 0; depth--) node = findNodeAtLocation(tree, issue.path.slice(0, depth) as Array<string | number>);
    const where = node ? `line ${lineAndColumn(text, node.offset).line}, ${jsonPath(issue.path)}` : jsonPath(issue.path);
    return { file, where, message: issue.message };
  });
}

/** Plainer words than zod's defaults for the two most common mistakes. */
const PLAIN_ERRORS = {
  error: (issue: { code: string; input?: unknown; keys?: string[] }) => {
    if (issue.code === "invalid_type" && issue.input === undefined) return "is required but missing";
    if (issue.code === "unrecognized_keys") return `has a field Bright Run does not know: ${(issue.keys ?? []).join(", ")} (check the spelling; see docs/import-formats.md)`;
    return undefined;
  },
};

const TAXONOMY_KEYS = ["personas", "emotional_arcs", "topics", "intents", "tones", "edge_case_categories"];

/** Identifies a JSON file's kind from its top-level keys. */
function jsonKind(value: unknown): "workspace" | "chunks" | "scenarios" | "seeds" | "templates" | "taxonomy" | null {
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

function slugFromFileName(file: string): string {
  return path
    .basename(file, path.extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Reads every file under `target` into a bundle.
 * @returns the bundle and the list of problems (empty when everything is valid).
 * @throws AppError "import_not_found" when the path does not exist.
 */
export async function readImportFiles(target: string): Promise<{ bundle: ImportBundle; problems: ImportProblem[] }> {
  const files = collectImportFiles(target);
  const stat = fs.statSync(target);
  const root = stat.isDirectory() ? path.resolve(target) : path.dirname(path.resolve(target));
  const bundle: ImportBundle = { root, files: [], workspace: [], taxonomy: [], documents: [], scenarios: [], seeds: [], templates: [] };
  const problems: ImportProblem[] = [];
  if (files.length === 0) {
    problems.push({ file: path.relative(process.cwd(), target) || target, where: null, message: "there are no .md, .txt or .json files to import here" });
  }

  for (const absolute of files) {
    const file = path.relative(root, absolute) || path.basename(absolute);
    bundle.files.push(file);
    const text = fs.readFileSync(absolute, "utf8");
    if (/\.(md|txt)$/i.test(absolute)) {
      try {
        const front = parseFrontMatter(text, file);
        const meta = documentFrontMatterSchema.safeParse(front.data ?? {}, PLAIN_ERRORS);
        if (!meta.success) {
          problems.push(...meta.error.issues.map((i) => ({ file, where: `front matter ${jsonPath(i.path)}`, message: i.message })));
          continue;
        }
        const body = front.body.trim();
        if (!body) {
          problems.push({ file, where: null, message: "the document is empty" });
          continue;
        }
        const heading = /^#\s+(.+)$/m.exec(body);
        const title = meta.data.title?.trim() || heading?.[1].trim() || path.basename(absolute, path.extname(absolute));
        const folder = path.relative(root, path.dirname(absolute));
        const category = meta.data.category?.trim() || (folder && folder !== "documents" ? path.basename(folder) : "Uncategorized");
        const key = meta.data.key ?? slugFromFileName(absolute);
        const drafts = await chunkDocument({ text: body, format: /\.md$/i.test(absolute) ? "markdown" : "text", title });
        bundle.documents.push({
          file,
          key,
          title,
          category,
          content: body,
          contentHash: sha256(text),
          chunks: drafts.map((d) => ({ ...d, key: `${key}#${d.ordinal}` })),
        });
      } catch (error) {
        problems.push({ file, where: null, message: error instanceof Error ? error.message.replace(`${file} `, "") : String(error) });
      }
      continue;
    }

    const parsed = parseJson(text);
    if (!parsed.ok) {
      problems.push({ file, where: parsed.where, message: parsed.message });
      continue;
    }
    const kind = jsonKind(parsed.value);
    switch (kind) {
      case "workspace": {
        const r = workspaceFileSchema.safeParse(parsed.value, PLAIN_ERRORS);
        if (r.success) bundle.workspace.push({ file, data: r.data });
        else problems.push(...zodProblems(file, r.error, text, parsed.tree));
        break;
      }
      case "taxonomy": {
        const r = taxonomyFileSchema.safeParse(parsed.value, PLAIN_ERRORS);
        if (r.success) bundle.taxonomy.push({ file, data: r.data });
        else problems.push(...zodProblems(file, r.error, text, parsed.tree));
        break;
      }
      case "scenarios": {
        const r = scenariosFileSchema.safeParse(parsed.value, PLAIN_ERRORS);
        if (r.success) bundle.scenarios.push({ file, data: r.data });
        else problems.push(...zodProblems(file, r.error, text, parsed.tree));
        break;
      }
      case "seeds": {
        const r = seedConversationsFileSchema.safeParse(parsed.value, PLAIN_ERRORS);
        if (r.success) bundle.seeds.push({ file, data: r.data });
        else problems.push(...zodProblems(file, r.error, text, parsed.tree));
        break;
      }
      case "templates": {
        const r = templatesFileSchema.safeParse(parsed.value, PLAIN_ERRORS);
        if (r.success) bundle.templates.push({ file, data: r.data });
        else problems.push(...zodProblems(file, r.error, text, parsed.tree));
        break;
      }
      case "chunks": {
        const r = chunkFileSchema.safeParse(parsed.value, PLAIN_ERRORS);
        if (!r.success) {
          problems.push(...zodProblems(file, r.error, text, parsed.tree));
          break;
        }
        const { document, chunks } = r.data;
        const corpus = buildKeyTermCorpus(chunks.map((c) => c.content));
        bundle.documents.push({
          file,
          key: document.key,
          title: document.title,
          category: document.category,
          content: null,
          contentHash: sha256(text),
          chunks: chunks.map((c, i) => {
            const summary = c.summary?.trim() || summarizeText(c.content, "text");
            return {
              ordinal: i + 1,
              key: c.chunk_id ?? `${document.key}#${i + 1}`,
              heading: c.heading ?? null,
              content: c.content,
              summary,
              keyTerms: c.key_terms?.length ? c.key_terms : extractKeyTerms(c.content, { max: 8, corpus }),
              tokenCount: Math.ceil(c.content.length / 4),
              dimensions: c.dimensions,
            };
          }),
        });
        break;
      }
      default:
        problems.push({
          file,
          where: "$",
          message:
            "this JSON file is not one Bright Run knows. Its top-level keys must include one of: workspace, personas, emotional_arcs, topics, intents, tones, edge_case_categories, scenarios, conversations, templates, or document + chunks (see docs/import-formats.md)",
        });
    }
  }
  return { bundle, problems };
}
