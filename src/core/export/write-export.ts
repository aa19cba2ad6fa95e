/**
 * Export end to end: select conversations (approved by default, or any filter), serialise and
 * validate them in the chosen format, write the data file, its companions and the manifest into
 * `<outDir>/<stem>-<format>/`, and record one export_logs row.
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
import { serializeExport } from "./index";
import type { ExportManifest } from "./manifest";

export interface WriteExportResult {
  exportId: string;
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
 * Writes an export.
 * @param filter which conversations; default `{ status: ["approved"] }` (US5.1.1: approved only).
 * @param outDir folder for exports; files go to `<outDir>/<stem>-<format>/`.
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
  const rows = await listConversationsWithTurns({ db: options.db, filter });
  const conversations = rows.map(toExportConversation);
  const statusLabel = statusLabelFor(filter);
  const bundle = serializeExport(options.format, conversations, {
    exportedAt,
    statusLabel,
    filterState: filter as Record<string, unknown>,
    systemVersion: options.systemVersion,
  });
  // One folder per export, so companions with fixed names (dataset_info.json, README.md) never
  // overwrite another export's.
  const dir = path.resolve(options.outDir, `${bundle.stem}-${options.format}`);
  fs.mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const file of bundle.files) {
    const target = path.join(dir, file.name);
    // Write beside, then rename: a crash never leaves a half-written export under the final name.
    const temp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temp, file.content, "utf8");
    fs.renameSync(temp, target);
    paths.push(target);
  }
  const dataPath = path.join(dir, bundle.dataFile.name);
  const manifestPath = path.join(dir, bundle.manifestFile.name);
  const exportId = randomUUID();
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
  return { exportId, dataPath, manifestPath, paths, count: conversations.length, manifest: bundle.manifest };
}
