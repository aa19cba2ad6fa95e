/**
 * Reads and validates import files without touching the database: every problem in every file
 * is collected, so one run tells the user everything that is wrong (import is all or nothing).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";
import { chunkDocument, summarizeText, type ChunkDraft } from "./chunk-document";
import { parseFrontMatter } from "./front-matter";
import { buildKeyTermCorpus, extractKeyTerms } from "./key-terms";
import { jsonKind, jsonPath, parseJson, PLAIN_ERRORS, zodProblems, type ImportProblem } from "./json-problems";
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

export type { ImportProblem } from "./json-problems";

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
