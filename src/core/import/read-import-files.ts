/**
 * Reads and validates import files without touching the database: every problem in every file
 * is collected, so one run tells the user everything that is wrong (import is all or nothing).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";
import { decodeText, identifySourceKind, importProblemsFromError, sourceKindFromName, SUPPORTED_TYPES_TEXT } from "./detect-file-type";
import { checkDocumentSize, documentFromChunkFile, readDocumentSource, type DocumentDraft } from "./document-sources";
import { jsonKind, parseJson, PLAIN_ERRORS, zodProblems, type ImportProblem } from "./json-problems";
import {
  chunkFileSchema,
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

/** A document with its chunks, ready to store (see document-sources.ts), and the file it came from. */
export type ParsedDocument = DocumentDraft & { file: string };

/**
 * A file in an imported folder that import does not take, and why (shown to the user). A folder
 * that is not read at all (hidden, node_modules) is one entry, its path ending in "/".
 */
export interface SkippedFile {
  file: string;
  reason: string;
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
  /** Files of a folder that were not read (unsupported types, README and LICENSE files). */
  skipped: SkippedFile[];
}


/** Files a folder may carry for people; they are named as skipped, never imported. */
const NOTE_NAMES = new Set(["readme.md", "readme.txt", "license", "license.md"]);

/**
 * Files under `target` that import reads, sorted, and every other file with the reason it is
 * skipped; a single file is returned as is (reading it says whether it can be imported). Hidden
 * files and folders (names starting with ".") and `node_modules` folders are not read; each is
 * named once as skipped (a folder as "name/", not its contents), so nothing is left out silently.
 * @throws AppError "import_not_found" when the path does not exist
 */
export function collectImportFiles(target: string): { files: string[]; skipped: SkippedFile[] } {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) {
    throw new AppError("import_not_found", `Nothing to import at ${target}: no such file or folder. Check the path.`);
  }
  if (stat.isFile()) return { files: [path.resolve(target)], skipped: [] };
  const root = path.resolve(target);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      const file = path.relative(root, full);
      if (entry.name.startsWith(".") || (entry.name === "node_modules" && entry.isDirectory())) {
        if (entry.isDirectory()) skipped.push({ file: `${file}/`, reason: entry.name === "node_modules" ? "node_modules folders are not read" : 'hidden folders (names starting with ".") are not read' });
        else skipped.push({ file, reason: 'hidden files (names starting with ".") are not imported' });
        continue;
      }
      if (entry.isDirectory()) walk(full);
      else if (NOTE_NAMES.has(entry.name.toLowerCase())) skipped.push({ file, reason: "README and LICENSE files are notes for people, not documents" });
      else if (sourceKindFromName(entry.name)) files.push(full);
      else skipped.push({ file, reason: `${path.extname(entry.name) ? `"${path.extname(entry.name)}" files are` : "files without an extension are"} not imported (supported: ${SUPPORTED_TYPES_TEXT})` });
    }
  };
  walk(root);
  return { files, skipped };
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Reads every file under `target` into a bundle.
 * @returns the bundle and the list of problems (empty when everything is valid).
 * @throws AppError "import_not_found" when the path does not exist.
 */
export async function readImportFiles(target: string): Promise<{ bundle: ImportBundle; problems: ImportProblem[] }> {
  const { files, skipped } = collectImportFiles(target);
  const stat = fs.statSync(target);
  const root = stat.isDirectory() ? path.resolve(target) : path.dirname(path.resolve(target));
  const bundle: ImportBundle = { root, files: [], workspace: [], taxonomy: [], documents: [], scenarios: [], seeds: [], templates: [], skipped };
  const problems: ImportProblem[] = [];
  if (files.length === 0) {
    problems.push({ file: path.relative(process.cwd(), target) || target, where: null, message: `there are no files to import here (supported: ${SUPPORTED_TYPES_TEXT})` });
  }

  for (const absolute of files) {
    const file = path.relative(root, absolute) || path.basename(absolute);
    let bytes: Buffer;
    try {
      checkDocumentSize({ file, size: fs.statSync(absolute).size });
      bytes = fs.readFileSync(absolute);
    } catch (error) {
      bundle.files.push(file);
      problems.push(...importProblemsFromError(file, error));
      continue;
    }
    const folder = path.relative(root, path.dirname(absolute));
    const defaultCategory = folder && folder !== "documents" ? path.basename(folder) : undefined;
    await addFileToBundle({ bundle, problems, file, bytes, defaultCategory });
  }
  return { bundle, problems };
}

/**
 * Reads one file's bytes into `bundle` (a document, or a JSON file by its kind), appending what is
 * wrong with it to `problems`: the one per-file reader of a folder import and an upload alike.
 * @param file the name shown in problems (relative to the import root, or the uploaded file's name)
 * @param defaultCategory a document's category when its front matter names none
 */
export async function addFileToBundle({
  bundle,
  problems,
  file,
  bytes,
  defaultCategory,
}: {
  bundle: ImportBundle;
  problems: ImportProblem[];
  file: string;
  bytes: Uint8Array;
  defaultCategory?: string;
}): Promise<void> {
  bundle.files.push(file);
  // Every file goes through the same checks as an upload (size, type from the bytes); documents
  // of every kind are read by readDocumentSource, the one reader the preview uses too.
  try {
    checkDocumentSize({ file, size: bytes.length });
    if (sourceKindFromName(file) !== "json") {
      bundle.documents.push({ file, ...(await readDocumentSource({ file, bytes: Buffer.from(bytes), defaultCategory })) });
      return;
    }
    await identifySourceKind({ file, bytes: Buffer.from(bytes) });
  } catch (error) {
    problems.push(...importProblemsFromError(file, error));
    return;
  }
  const text = decodeText(Buffer.from(bytes)).text;

  const parsed = parseJson(text);
  if (!parsed.ok) {
    problems.push({ file, where: parsed.where, message: parsed.message });
    return;
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
      bundle.documents.push({ file, ...documentFromChunkFile({ data: r.data, contentHash: sha256(bytes) }) });
      break;
    }
    default:
      problems.push({
        file,
        where: "$",
        message:
          "this JSON file is not one Bright Run knows. Its top-level keys must include one of: workspace, personas, emotional_arcs, topics, intents, tones, edge_case_categories, outcomes, scenarios, conversations, templates, or document + chunks (see docs/import-formats.md)",
      });
  }
}
