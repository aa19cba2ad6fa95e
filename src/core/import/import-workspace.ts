/**
 * Import, all or nothing: reads every file, checks every cross-reference against the files and
 * the database, and only then writes everything in one transaction. A malformed file imports
 * nothing; the error names each file, the line or JSON path, and what is wrong.
 */
import type { Database, DbOrTx } from "../../server/db/client";
import { insertConversations, listConversationIdsByHumanIds, replaceConversationTurns, updateConversationReviews } from "../../server/db/queries/conversations";
import { listChunksWithDocuments, upsertDocumentWithChunks } from "../../server/db/queries/documents";
import { listScenarios, upsertScenarios } from "../../server/db/queries/scenarios";
import { listTaxonomy, upsertTaxonomy } from "../../server/db/queries/taxonomy";
import { upsertTemplate } from "../../server/db/queries/templates";
import { getWorkspace, updateWorkspace } from "../../server/db/queries/workspace";
import { AppError } from "../errors";
import { scoreConversation } from "../quality";
import { validateTemplateText } from "../templates";
import { taxonomyFileToRows } from "../taxonomy/taxonomy-file";
import { addFileToBundle, readImportFiles, type ImportBundle, type ImportProblem, type ParsedDocument, type SkippedFile } from "./read-import-files";
import type { SeedConversationsFile } from "./schemas";
import { seedTurnOrderProblems } from "./seed-formats";

export interface ImportSummary {
  files: number;
  workspace: boolean;
  personas: number;
  emotionalArcs: number;
  topics: number;
  intents: number;
  tones: number;
  edgeCaseCategories: number;
  outcomes: number;
  documents: { created: number; updated: number; unchanged: number };
  chunks: number;
  scenarios: number;
  templates: { changed: number; unchanged: number };
  seeds: { created: number; unchanged: number };
  /** Files of an imported folder that were not taken (unsupported type, README/LICENSE), with why. */
  skipped: SkippedFile[];
  /** What the user should know about imported documents (e.g. PDF pages without text, an encoding guess). */
  warnings: Array<{ file: string; message: string }>;
}

/** How many problems the error message lists before "…and N more". */
const MAX_LISTED_PROBLEMS = 25;

/** Formats problems as "file (where): message" lines. */
export function formatImportProblems(problems: ImportProblem[]): string {
  const lines = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  - ${p.file}${p.where ? ` (${p.where})` : ""}: ${p.message}`);
  if (problems.length > MAX_LISTED_PROBLEMS) lines.push(`  …and ${problems.length - MAX_LISTED_PROBLEMS} more`);
  return lines.join("\n");
}

/** Formats skipped files as "file: reason" lines. */
export function formatSkippedFiles(skipped: SkippedFile[]): string {
  return skipped.map((s) => `  - ${s.file}: ${s.reason}`).join("\n");
}

/**
 * Imports a file or a folder (recursively) into a workspace (which must exist). A workspace file in
 * it updates the workspace's business name, description, voice and tier split, not its name or slug.
 * @param userId recorded as the reviewer of imported seed conversations (they arrive approved).
 * @throws AppError "import_invalid" (nothing written) listing every problem found.
 * @throws AppError "import_not_found" when the path does not exist.
 */
export async function importPath({
  db,
  workspaceId,
  target,
  userId,
  label = target,
}: {
  db: Database;
  workspaceId: string;
  target: string;
  userId: string;
  /** How the path is named in messages: as the user typed it (default: `target`). */
  label?: string;
}): Promise<ImportSummary> {
  const { bundle, problems } = await readImportFiles(target);
  return importBundle({ db, workspaceId, bundle, problems, label, userId });
}

/** What an uploaded file may be: any import file, or only a taxonomy file (the taxonomy page). */
export type UploadKind = "any" | "taxonomy";

/**
 * Imports one uploaded file from its bytes, exactly as `importPath` imports a file on disk: the same
 * reader, the same cross-reference checks, one transaction, all or nothing.
 * @param file the file's name as the user knows it (problems name it)
 * @param only "taxonomy": refuse any other kind of file (the taxonomy page's upload)
 * @throws AppError "import_invalid" (nothing written) with `detail.problems` (file, where, message)
 */
export async function importFileBytes({
  db,
  workspaceId,
  file,
  bytes,
  userId,
  only = "any",
}: {
  db: Database;
  workspaceId: string;
  file: string;
  bytes: Uint8Array;
  userId: string;
  only?: UploadKind;
}): Promise<ImportSummary> {
  const bundle: ImportBundle = { root: "", files: [], workspace: [], taxonomy: [], documents: [], scenarios: [], seeds: [], templates: [], skipped: [] };
  const problems: ImportProblem[] = [];
  await addFileToBundle({ bundle, problems, file, bytes });
  const others = bundle.workspace.length + bundle.documents.length + bundle.scenarios.length + bundle.seeds.length + bundle.templates.length;
  if (only === "taxonomy" && !problems.length && others > 0) {
    problems.push({
      file,
      where: null,
      message: "this is not a taxonomy file: its top-level keys must be personas, emotional_arcs, topics, intents, tones, edge_case_categories or outcomes (import other files with `brightrun import`)",
    });
  }
  return importBundle({ db, workspaceId, bundle, problems, label: file, userId });
}

/** Checks cross-references of a read bundle, then writes it in one transaction, or throws every problem. */
async function importBundle({
  db,
  workspaceId,
  bundle,
  problems,
  label,
  userId,
}: {
  db: Database;
  workspaceId: string;
  bundle: ImportBundle;
  problems: ImportProblem[];
  label: string;
  userId: string;
}): Promise<ImportSummary> {
  // Cross-file references are checked once every file reads cleanly: a broken taxonomy file
  // would otherwise bury its own error under every reference to it.
  if (!problems.length) problems.push(...(await checkReferences(db, workspaceId, bundle)));
  if (problems.length) {
    throw new AppError(
      "import_invalid",
      `Nothing was imported from ${label}: ${problems.length === 1 ? "1 problem" : `${problems.length} problems`} must be fixed first.\n${formatImportProblems(problems)}${bundle.skipped.length ? `\nNot read (and not problems):\n${formatSkippedFiles(bundle.skipped)}` : ""}`,
      { detail: { problems, skipped: bundle.skipped } },
    );
  }
  return db.transaction((tx) => writeBundle(tx, workspaceId, bundle, userId));
}

/** Cross-file checks: every key a file refers to exists in this import or in the database; the problems found (empty when none). */
export async function checkReferences(db: DbOrTx, workspaceId: string, bundle: ImportBundle): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  const existing = await listTaxonomy({ db, workspaceId });
  const known = {
    persona: new Set(existing.personas.map((p) => p.key)),
    emotional_arc: new Set(existing.emotionalArcs.map((p) => p.key)),
    topic: new Set(existing.topics.map((p) => p.key)),
    intent: new Set(existing.intents.map((p) => p.key)),
    tone: new Set(existing.tones.map((p) => p.key)),
    edge_case_category: new Set(existing.edgeCaseCategories.map((p) => p.key)),
    outcome: new Set(existing.outcomes.map((p) => p.key)),
    scenario: new Set((await listScenarios({ db, workspaceId, includeArchived: true })).map((s) => s.key)),
  };
  const seen = new Map<string, string>();
  const noteDuplicate = (kind: string, key: string, file: string, where: string) => {
    const id = `${kind}:${key}`;
    const first = seen.get(id);
    if (first) problems.push({ file, where, message: `${kind} "${key}" is defined twice (also in ${first}); keys must be unique` });
    else seen.set(id, file);
  };
  if (bundle.workspace.length > 1) {
    problems.push({ file: bundle.workspace[1].file, where: null, message: `a second workspace file (the first is ${bundle.workspace[0].file}); import one` });
  }
  for (const { file, data } of bundle.taxonomy) {
    const lists: Array<[keyof typeof known, Array<{ key: string }> | undefined, string]> = [
      ["persona", data.personas, "personas"],
      ["emotional_arc", data.emotional_arcs, "emotional_arcs"],
      ["topic", data.topics, "topics"],
      ["intent", data.intents, "intents"],
      ["tone", data.tones, "tones"],
      ["edge_case_category", data.edge_case_categories, "edge_case_categories"],
      ["outcome", data.outcomes, "outcomes"],
    ];
    for (const [kind, list, name] of lists) {
      list?.forEach((entry, i) => {
        noteDuplicate(kind, entry.key, file, `$.${name}[${i}].key`);
        known[kind].add(entry.key);
      });
    }
  }
  const documentsByKey = new Map<string, ImportBundle["documents"][number]>();
  for (const doc of bundle.documents) {
    noteDuplicate("document", doc.key, doc.file, "key");
    documentsByKey.set(doc.key, doc);
  }
  const storedChunks = await listChunksWithDocuments({ db, workspaceId });
  const headingsOf = (documentKey: string): string[] | null => {
    const doc = documentsByKey.get(documentKey);
    if (doc) return doc.chunks.map((c) => c.heading ?? "");
    const stored = storedChunks.filter((c) => c.documentKey === documentKey);
    return stored.length ? stored.map((c) => c.heading ?? "") : null;
  };
  const requireKey = (kind: keyof typeof known, key: string | undefined, file: string, where: string) => {
    if (key !== undefined && !known[kind].has(key)) {
      problems.push({ file, where, message: `refers to ${kind.replace(/_/g, " ")} "${key}", which is neither in this import nor already imported` });
    }
  };

  for (const { file, data } of bundle.scenarios) {
    data.scenarios.forEach((s, i) => {
      noteDuplicate("scenario", s.key, file, `$.scenarios[${i}].key`);
      known.scenario.add(s.key);
      requireKey("persona", s.persona, file, `$.scenarios[${i}].persona`);
      requireKey("emotional_arc", s.emotional_arc, file, `$.scenarios[${i}].emotional_arc`);
      requireKey("topic", s.topic, file, `$.scenarios[${i}].topic`);
      const headings = headingsOf(s.source_document);
      if (!headings) {
        problems.push({ file, where: `$.scenarios[${i}].source_document`, message: `no document has the key "${s.source_document}"` });
      } else if (s.source_section && !headings.some((h) => matchesSection(h, s.source_section as string))) {
        problems.push({
          file,
          where: `$.scenarios[${i}].source_section`,
          message: `document "${s.source_document}" has no section headed "${s.source_section}"`,
        });
      }
    });
  }
  for (const { file, data } of bundle.templates) {
    data.templates.forEach((t, i) => {
      noteDuplicate("template", t.key, file, `$.templates[${i}].key`);
      for (const problem of validateTemplateText(t.template_text, t.tier, { templateName: t.name })) {
        if (problem.severity === "error") problems.push({ file, where: `$.templates[${i}].template_text`, message: problem.message });
      }
    });
    for (const tier of ["template", "scenario", "edge_case"]) {
      const defaults = data.templates.filter((t) => t.tier === tier && t.is_default);
      if (defaults.length > 1) problems.push({ file, where: "$.templates", message: `${defaults.length} templates are marked default for tier ${tier}; mark one` });
    }
  }
  for (const { file, data } of bundle.seeds) {
    data.conversations.forEach((c, i) => {
      const at = `$.conversations[${i}]`;
      noteDuplicate("seed conversation", c.conversation_id, file, `${at}.conversation_id`);
      requireKey("persona", c.persona, file, `${at}.persona`);
      requireKey("emotional_arc", c.emotional_arc, file, `${at}.emotional_arc`);
      requireKey("topic", c.topic, file, `${at}.topic`);
      requireKey("intent", c.intent, file, `${at}.intent`);
      requireKey("tone", c.tone, file, `${at}.tone`);
      requireKey("scenario", c.scenario, file, `${at}.scenario`);
      requireKey("edge_case_category", c.edge_case_category, file, `${at}.edge_case_category`);
      requireKey("outcome", c.outcome, file, `${at}.outcome`);
      if (c.source_document && !headingsOf(c.source_document)) {
        problems.push({ file, where: `${at}.source_document`, message: `no document has the key "${c.source_document}"` });
      }
      for (const message of seedTurnOrderProblems(c.turns)) {
        const turn = /^turn (\d+) is "/.exec(message);
        problems.push({ file, where: turn ? `${at}.turns[${Number(turn[1]) - 1}].role` : `${at}.turns`, message });
      }
    });
  }
  return problems;
}

/** A chunk heading path ("Guide > Year 1") matches a section name when its last part equals it. */
function matchesSection(heading: string, section: string): boolean {
  const norm = (s: string) => s.trim().toLowerCase();
  const parts = heading.split(" > ").map(norm);
  return parts.includes(norm(section)) || norm(heading) === norm(section);
}

async function writeBundle(tx: DbOrTx, workspaceId: string, bundle: ImportBundle, userId: string): Promise<ImportSummary> {
  const summary: ImportSummary = {
    files: bundle.files.length,
    workspace: false,
    personas: 0,
    emotionalArcs: 0,
    topics: 0,
    intents: 0,
    tones: 0,
    edgeCaseCategories: 0,
    outcomes: 0,
    documents: { created: 0, updated: 0, unchanged: 0 },
    chunks: 0,
    scenarios: 0,
    templates: { changed: 0, unchanged: 0 },
    seeds: { created: 0, unchanged: 0 },
    skipped: bundle.skipped,
    warnings: bundle.documents.flatMap((d) => d.warnings.map((message) => ({ file: d.file, message }))),
  };
  for (const { data } of bundle.workspace) {
    const w = data.workspace;
    await updateWorkspace({
      db: tx,
      id: workspaceId,
      values: { businessName: w.business_name, description: w.description, trainingSystemPrompt: w.training_system_prompt, tierSplit: w.tier_split ?? null },
    });
    summary.workspace = true;
  }
  for (const { data } of bundle.taxonomy) {
    await upsertTaxonomy({ db: tx, workspaceId, values: taxonomyFileToRows(data) });
    summary.personas += data.personas?.length ?? 0;
    summary.emotionalArcs += data.emotional_arcs?.length ?? 0;
    summary.topics += data.topics?.length ?? 0;
    summary.intents += data.intents?.length ?? 0;
    summary.tones += data.tones?.length ?? 0;
    summary.edgeCaseCategories += data.edge_case_categories?.length ?? 0;
    summary.outcomes += data.outcomes?.length ?? 0;
  }
  for (const doc of bundle.documents) {
    const outcome = await storeParsedDocument({ db: tx, workspaceId, document: doc, sourcePath: doc.file });
    summary.documents[outcome] += 1;
    if (outcome !== "unchanged") summary.chunks += doc.chunks.length;
  }
  const chunks = await listChunksWithDocuments({ db: tx, workspaceId });
  for (const { data } of bundle.scenarios) {
    await upsertScenarios({
      db: tx,
      workspaceId,
      values: data.scenarios.map((s) => {
        const ofDocument = chunks.filter((c) => c.documentKey === s.source_document);
        const chunk = (s.source_section && ofDocument.find((c) => matchesSection(c.heading ?? "", s.source_section as string))) || ofDocument[0];
        return {
          key: s.key,
          title: s.title,
          category: s.category,
          problem: s.problem,
          solution: s.solution,
          outcome: s.outcome,
          chunkId: chunk?.id ?? null,
          personaKey: s.persona ?? null,
          emotionalArcKey: s.emotional_arc ?? null,
          topicKey: s.topic ?? null,
        };
      }),
    });
    summary.scenarios += data.scenarios.length;
  }
  for (const { data } of bundle.templates) {
    for (const t of data.templates) {
      const result = await upsertTemplate({
        db: tx,
        workspaceId,
        input: {
          key: t.key,
          name: t.name,
          tier: t.tier,
          description: t.description,
          isDefault: t.is_default,
          systemPrompt: t.system_prompt,
          templateText: t.template_text,
          maxTokens: t.max_tokens,
          temperature: t.temperature,
        },
      });
      summary.templates[result.changed ? "changed" : "unchanged"] += 1;
    }
  }
  if (bundle.seeds.length) await writeSeeds({ tx, workspaceId, all: bundle.seeds.flatMap((s) => s.data.conversations), chunks, userId, summary: summary.seeds });
  return summary;
}

/** A seed conversation as the seed JSON holds it, with the system prompt its file carried (null: the workspace's). */
export type SeedToWrite = SeedConversationsFile["conversations"][number] & { system_prompt?: string | null; metadata?: Record<string, unknown> };

/**
 * Stores seed conversations that passed every check: each scored, locked (is_seed), approved with
 * the note "Hand-written seed conversation: approved on import." by `userId`. A conversation id that
 * exists already is left as it is (seeds are locked) and counted as unchanged.
 */
export async function writeSeeds({
  tx,
  workspaceId,
  all,
  chunks,
  userId,
  summary,
}: {
  tx: DbOrTx;
  workspaceId: string;
  all: SeedToWrite[];
  chunks: Awaited<ReturnType<typeof listChunksWithDocuments>>;
  userId: string;
  summary: { created: number; unchanged: number };
}): Promise<void> {
  const workspace = await getWorkspace({ db: tx, workspaceId });
  const taxonomy = await listTaxonomy({ db: tx, workspaceId });
  const scenarios = await listScenarios({ db: tx, workspaceId, includeArchived: true });
  const existing = await listConversationIdsByHumanIds({ db: tx, workspaceId, ids: all.map((c) => c.conversation_id) });
  for (const seed of all) {
    if (existing.has(seed.conversation_id)) {
      // Seeds are locked against edit: a re-import leaves the stored one as it is.
      summary.unchanged += 1;
      continue;
    }
    const persona = taxonomy.personas.find((p) => p.key === seed.persona);
    const topic = taxonomy.topics.find((t) => t.key === seed.topic);
    const scenario = seed.scenario ? scenarios.find((s) => s.key === seed.scenario) : undefined;
    const documentChunks = seed.source_document ? chunks.filter((c) => c.documentKey === seed.source_document) : [];
    const chunk = (scenario?.chunkId && chunks.find((c) => c.id === scenario.chunkId)) || documentChunks[0];
    const arc = taxonomy.emotionalArcs.find((a) => a.key === seed.emotional_arc);
    const quality = scoreConversation({
      turns: seed.turns,
      persona: { name: persona?.name ?? seed.persona, description: persona?.description },
      topic: { name: topic?.name ?? seed.topic, keyTerms: topic?.keyTerms ?? [] },
      emotion: { name: arc?.name ?? seed.emotional_arc },
      intent: taxonomy.intents.find((i) => i.key === seed.intent)?.name ?? seed.intent,
      tone: taxonomy.tones.find((t) => t.key === seed.tone)?.name ?? seed.tone,
      tier: seed.tier,
    });
    await insertConversations({
      db: tx,
      values: [
        {
          workspaceId,
          conversationId: seed.conversation_id,
          title: seed.title,
          documentId: chunk?.documentId ?? null,
          chunkId: chunk?.id ?? null,
          persona: seed.persona,
          emotion: seed.emotional_arc,
          topic: seed.topic,
          intent: seed.intent,
          tone: seed.tone,
          tier: seed.tier,
          status: "generated",
          qualityScore: quality.score,
          qualityBreakdown: quality as unknown as Record<string, unknown>,
          turnCount: seed.turns.length,
          scenarioId: scenario?.id ?? null,
          edgeCaseCategory: seed.edge_case_category ?? null,
          outcome: seed.outcome ?? null,
          sourceCategory: chunk?.category ?? null,
          isSeed: true,
          systemPrompt: seed.system_prompt ?? workspace?.trainingSystemPrompt ?? "",
          metadata: seed.metadata ?? { source: "seed_import" },
          generatedAt: new Date(),
        },
      ],
    });
    const ids = await listConversationIdsByHumanIds({ db: tx, workspaceId, ids: [seed.conversation_id] });
    const id = ids.get(seed.conversation_id) as string;
    await replaceConversationTurns({ db: tx, conversationId: id, turns: seed.turns });
    await updateConversationReviews({
      db: tx,
      workspaceId,
      reviews: [{ id, previousStatus: "generated", previous: { reviewerId: null, reviewerNotes: null, reviewedAt: null } }],
      action: "approve",
      reviewerId: userId,
      notes: "Hand-written seed conversation: approved on import.",
    });
    summary.created += 1;
  }
}

/**
 * Stores one read document with its chunks (insert, or replace the chunks when its content
 * changed), for the folder import and the file upload alike.
 * @returns what happened to it ("created", "updated" or "unchanged", as upsertDocumentWithChunks says)
 */
export async function storeParsedDocument({
  db,
  workspaceId,
  document,
  sourcePath,
}: {
  db: DbOrTx;
  workspaceId: string;
  document: Pick<ParsedDocument, "key" | "title" | "category" | "content" | "contentHash" | "chunks">;
  sourcePath: string;
}) {
  return upsertDocumentWithChunks({
    db,
    workspaceId,
    document: { key: document.key, title: document.title, category: document.category, sourcePath, content: document.content, contentHash: document.contentHash },
    chunkValues: document.chunks.map((c) => ({
      key: c.key,
      ordinal: c.ordinal,
      heading: c.heading,
      content: c.content,
      summary: c.summary,
      keyTerms: c.keyTerms,
      dimensions: c.dimensions,
      tokenCount: c.tokenCount,
    })),
  });
}
