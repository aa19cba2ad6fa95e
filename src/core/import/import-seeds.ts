/**
 * Seed uploads (issue 10 item 4, US10.3.1): conversations read from OpenAI chat JSONL, ShareGPT,
 * pasted text or Bright Run seed JSON (seed-formats.ts), each mapped to persona / emotional arc /
 * topic / intent / tone and a title, then stored through the same checks and writer as
 * `brightrun import` (import-workspace.ts): all or nothing, locked, approved on import.
 */
import type { Database } from "../../server/db/client";
import { listConversationIdsByHumanIds } from "../../server/db/queries/conversations";
import { listChunksWithDocuments } from "../../server/db/queries/documents";
import { listSeedConversationIds } from "../../server/db/queries/seeds";
import { listTaxonomy } from "../../server/db/queries/taxonomy";
import { AppError } from "../errors";
import { checkReferences, writeSeeds, type SeedToWrite } from "./import-workspace";
import type { ImportBundle } from "./read-import-files";
import { formatSeedUploadProblems, parseSeedUpload, SEED_UPLOAD_FORMAT_LABELS, type SeedUploadFormat, type SeedUploadProblem } from "./seed-formats";

/** What one uploaded conversation is about: taxonomy keys and a title (the selects of the Seeds page, or CLI flags). */
export interface SeedMapping {
  title: string;
  persona: string;
  emotionalArc: string;
  topic: string;
  intent: string;
  tone: string;
}

/** What a seed upload stored. */
export interface SeedUploadResult {
  format: SeedUploadFormat;
  /** Conversation ids given to the new seeds, in upload order ("seed-011", …). */
  created: string[];
  /** Bright Run seed JSON entries whose conversation id existed already (left as they are: seeds are locked). */
  unchanged: number;
}

/** The next free "seed-NNN" ids after the highest number in use (three digits at least). */
export function nextSeedIds(existing: readonly string[], count: number): string[] {
  const used = existing.map((id) => /^seed-(\d+)$/.exec(id)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));
  const start = (used.length ? Math.max(...used) : 0) + 1;
  return Array.from({ length: count }, (_, i) => `seed-${String(start + i).padStart(3, "0")}`);
}

/**
 * Reads an upload, maps each conversation and stores them all as seeds in one transaction, or none.
 * Bright Run seed JSON carries its own keys and titles, so `mappings` is ignored for it; every other
 * format needs exactly one mapping per conversation, in order. Archived taxonomy entries may not be
 * chosen for a new seed.
 * @param text the upload as text; `format` forces its shape (else recognised, see parseSeedUpload)
 * @param label how the upload is named in messages ("seeds.jsonl", "the pasted text")
 * @throws AppError "seed_upload_invalid" (nothing stored) listing each problem with its line or entry and what to fix
 */
export async function importSeedUpload({
  db,
  workspaceId,
  userId,
  text,
  format,
  mappings,
  label,
}: {
  db: Database;
  workspaceId: string;
  userId: string;
  text: string;
  format?: SeedUploadFormat;
  mappings: readonly SeedMapping[];
  label: string;
}): Promise<SeedUploadResult> {
  const parsed = parseSeedUpload({ text, format });
  if (!parsed.ok) throw invalid(label, parsed.problems);
  let seeds: SeedToWrite[];
  const where = parsed.conversations.map((c) => c.where);
  if (parsed.format === "brightrun_json") {
    seeds = parsed.file.conversations;
  } else {
    if (mappings.length !== parsed.conversations.length) {
      throw invalid(label, [{ where: null, message: `it holds ${parsed.conversations.length} conversation(s) but ${mappings.length} were described; choose a persona, arc, topic, intent and tone for each` }]);
    }
    const problems: SeedUploadProblem[] = [];
    mappings.forEach((m, i) => {
      if (!m.title.trim()) problems.push({ where: where[i], message: "give it a title" });
    });
    if (problems.length) throw invalid(label, problems);
    const ids = nextSeedIds(await listSeedConversationIds({ db, workspaceId }), parsed.conversations.length);
    seeds = parsed.conversations.map((c, i) => ({
      conversation_id: ids[i],
      title: mappings[i].title.trim(),
      tier: "template",
      persona: mappings[i].persona,
      emotional_arc: mappings[i].emotionalArc,
      topic: mappings[i].topic,
      intent: mappings[i].intent,
      tone: mappings[i].tone,
      turns: c.turns,
      system_prompt: c.systemPrompt,
      metadata: { source: "seed_upload", format: parsed.format },
    }));
  }
  const problems = await seedReferenceProblems(db, workspaceId, seeds, where, parsed.format !== "brightrun_json");
  if (problems.length) throw invalid(label, problems);
  const summary = { created: 0, unchanged: 0 };
  const chunks = await listChunksWithDocuments({ db, workspaceId });
  const before = await listConversationIdsByHumanIds({ db, workspaceId, ids: seeds.map((s) => s.conversation_id) });
  await db.transaction((tx) => writeSeeds({ tx, workspaceId, all: seeds, chunks, userId, summary }));
  return { format: parsed.format, created: seeds.map((s) => s.conversation_id).filter((id) => !before.has(id)), unchanged: summary.unchanged };
}

/** The importer's reference checks, with `$.conversations[i]` named as the upload's line or entry; archived entries refused for new seeds. */
async function seedReferenceProblems(db: Database, workspaceId: string, seeds: SeedToWrite[], where: string[], refuseArchived: boolean): Promise<SeedUploadProblem[]> {
  const bundle: ImportBundle = { root: "", files: [], workspace: [], taxonomy: [], documents: [], scenarios: [], seeds: [{ file: "upload", data: { conversations: seeds } }], templates: [], skipped: [] };
  const problems: SeedUploadProblem[] = (await checkReferences(db, workspaceId, bundle)).map((p) => {
    const match = /^\$\.conversations\[(\d+)\]\.?(.*)$/.exec(p.where ?? "");
    if (!match) return { where: p.where, message: p.message };
    const field = match[2].replace(/^turns.*/, "");
    return { where: `${where[Number(match[1])]}${field ? ` (${field.replace(/_/g, " ")})` : ""}`, message: p.message };
  });
  if (!refuseArchived) return problems;
  const taxonomy = await listTaxonomy({ db, workspaceId });
  const archived = (rows: Array<{ key: string; archivedAt: Date | null }>) => new Set(rows.filter((r) => r.archivedAt).map((r) => r.key));
  const lists: Array<[string, Set<string>, (s: SeedToWrite) => string]> = [
    ["persona", archived(taxonomy.personas), (s) => s.persona],
    ["emotional arc", archived(taxonomy.emotionalArcs), (s) => s.emotional_arc],
    ["topic", archived(taxonomy.topics), (s) => s.topic],
    ["intent", archived(taxonomy.intents), (s) => s.intent],
    ["tone", archived(taxonomy.tones), (s) => s.tone],
  ];
  seeds.forEach((seed, i) => {
    for (const [kind, keys, keyOf] of lists) {
      if (keys.has(keyOf(seed))) problems.push({ where: where[i], message: `${kind} "${keyOf(seed)}" is archived; choose another or restore it on the Customers page` });
    }
  });
  return problems;
}

function invalid(label: string, problems: SeedUploadProblem[]): AppError {
  return new AppError(
    "seed_upload_invalid",
    `No seed was imported from ${label}: ${problems.length === 1 ? "1 problem" : `${problems.length} problems`} must be fixed first.\n${formatSeedUploadProblems(problems)}`,
    { detail: { problems } },
  );
}

/** "OpenAI chat JSONL" etc., for messages. */
export function seedFormatLabel(format: SeedUploadFormat): string {
  return SEED_UPLOAD_FORMAT_LABELS[format];
}
