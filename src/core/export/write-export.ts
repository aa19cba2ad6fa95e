/**
 * Export end to end: select conversations (approved by default, or any filter), serialise and
 * validate them in the chosen format, write the data file, its companions and the manifest into
 * `<outDir>/<stem>-<format>-<exportId>/` (one folder per export, never shared), and record one
 * export_logs row.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ExportFormat } from "../../lib/constants";
import { normalizeFilter, type ConversationFilter } from "../../lib/conversation-filter";
import type { Database } from "../../server/db/client";
import { listConversationsWithTurns } from "../../server/db/queries/conversations";
import { insertExportLog } from "../../server/db/queries/exports";
import type { ExportConversation } from "../types";
import { exportFolderName } from "./file-name";
import { serializeExport } from "./index";
import type { ExportManifest } from "./manifest";

export interface WriteExportResult {
  /** export_logs.export_id (a UUID); also the end of the folder's name and the manifest's `export_id`. */
  exportId: string;
  /** Absolute path of the export's own folder. */
  dir: string;
  /** Absolute path of the data file. */
  dataPath: string;
  manifestPath: string;
  /** Every file written, absolute. */
  paths: string[];
  count: number;
  manifest: ExportManifest;
}

/** "approved" for the default, the single status when one is filtered on, else "filtered". */
export function statusLabelFor(filter: ConversationFilter): string {
  const keys = Object.keys(normalizeFilter(filter));
  if (keys.length === 1 && filter.status?.length === 1) return filter.status[0];
  if (keys.length === 0) return "all";
  return "filtered";
}

/** Maps a row of `listConversationsWithTurns` to the exporters' shape (display names, not keys). */
export function toExportConversation(row: Awaited<ReturnType<typeof listConversationsWithTurns>>[number]): ExportConversation {
  const c = row.conversation;
  return {
    conversationId: c.conversationId,
    title: c.title,
    tier: c.tier,
    status: c.status,
    isSeed: c.isSeed,
    persona: row.personaName,
    emotion: row.emotionName,
    topic: row.topicName,
    intent: row.intentName,
    tone: row.toneName,
    sourceCategory: c.sourceCategory,
    sourceDocument: row.documentKey,
    chunkKey: row.chunkKey,
    qualityScore: c.qualityScore,
    systemPrompt: c.systemPrompt,
    turns: row.turns,
    provider: c.provider,
    model: c.model,
    createdAt: c.createdAt,
    generatedAt: c.generatedAt,
    reviewedAt: c.reviewedAt,
    reviewerId: c.reviewerId,
    reviewerNotes: c.reviewerNotes,
    metadata: {
      ...c.metadata,
      persona_key: c.persona,
      emotion_key: c.emotion,
      topic_key: c.topic,
      intent_key: c.intent,
      tone_key: c.tone,
      template_version: c.templateVersion,
      edge_case_category: c.edgeCaseCategory,
      cost_usd: c.costUsd,
      input_tokens: c.inputTokens,
      output_tokens: c.outputTokens,
    },
  };
}

/**
 * Writes an export into a folder of its own and records it in export_logs.
 *
 * The files are written into a hidden temporary folder beside the final one, which is then
 * renamed into place, so a crash never leaves a half-written export under the final name; if
 * recording the export_logs row fails, the folder is removed again.
 *
 * @param filter which conversations; default `{ status: ["approved"] }` (US5.1.1: approved only).
 * @param outDir folder for exports; files go to `<outDir>/<stem>-<format>-<exportId>/`.
 * @param systemVersion Bright Run's version for the manifest.
 * @throws AppError "export_empty" when nothing matches, "export_invalid" when a line would break the format's rules (nothing written).
 */
export async function writeExport(options: {
  db: Database;
  format: ExportFormat;
  filter?: ConversationFilter;
  outDir: string;
  userId: string;
  systemVersion: string;
  now?: Date;
}): Promise<WriteExportResult> {
  const filter = normalizeFilter(options.filter ?? { status: ["approved"] });
  const exportedAt = options.now ?? new Date();
  const exportId = randomUUID();
  const rows = await listConversationsWithTurns({ db: options.db, filter });
  const conversations = rows.map(toExportConversation);
  const statusLabel = statusLabelFor(filter);
  const bundle = serializeExport(options.format, conversations, {
    exportId,
    exportedAt,
    statusLabel,
    filterState: filter as Record<string, unknown>,
    systemVersion: options.systemVersion,
  });
  const dir = path.resolve(options.outDir, exportFolderName({ stem: bundle.stem, format: options.format, exportId }));
  const temp = path.join(path.dirname(dir), `.${path.basename(dir)}.tmp`);
  fs.mkdirSync(temp, { recursive: true });
  try {
    for (const file of bundle.files) fs.writeFileSync(path.join(temp, file.name), file.content, "utf8");
    fs.renameSync(temp, dir);
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const paths = bundle.files.map((file) => path.join(dir, file.name));
  const dataPath = path.join(dir, bundle.dataFile.name);
  const manifestPath = path.join(dir, bundle.manifestFile.name);
  try {
    await insertExportLog({
      db: options.db,
      values: {
        exportId,
        userId: options.userId,
        conversationCount: conversations.length,
        filterState: filter as Record<string, unknown>,
        format: options.format,
        filePath: dataPath,
        exportedAt,
        metadata: bundle.manifest as unknown as Record<string, unknown>,
      },
    });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { exportId, dir, dataPath, manifestPath, paths, count: conversations.length, manifest: bundle.manifest };
}
