/**
 * Bright Run's own JSON export: one JSON document (not JSON Lines) holding every field of every
 * conversation, its review fields and metadata, with the manifest as a header (US5.1.1: "File
 * includes metadata header: export date, conversation count, quality statistics"; "Multiple format
 * options: OpenAI, Anthropic, generic JSON").
 */
import type { ConversationStatus, ProviderName, Tier, TurnRole } from "../../lib/constants";
import type { ExportConversation } from "../types";
import { FORMAT_VERSIONS } from "./format-versions";
import type { ExportManifest } from "./manifest";

/** One conversation in the `json` export. Keys are snake_case; dates are ISO 8601 UTC strings. */
export interface JsonConversationEntry {
  conversation_id: string;
  title: string | null;
  tier: Tier;
  status: ConversationStatus;
  is_seed: boolean;
  persona: string;
  emotion: string;
  topic: string;
  intent: string;
  tone: string;
  source_category: string | null;
  source_document: string | null;
  chunk_key: string | null;
  quality_score: number | null;
  system_prompt: string;
  turn_count: number;
  turns: Array<{ role: TurnRole; content: string }>;
  provider: ProviderName | null;
  model: string | null;
  created_at: string;
  generated_at: string | null;
  reviewed_at: string | null;
  reviewer_id: string | null;
  reviewer_notes: string | null;
  metadata: Record<string, unknown>;
}

/** The whole `json` export file. */
export interface JsonExportDocument {
  format_version: string;
  manifest: ExportManifest;
  conversations: JsonConversationEntry[];
}

/**
 * Every field of one conversation as a JSON entry (see `JsonConversationEntry`). The system prompt
 * is kept as given, even when blank; `metadata` is copied as is and must be JSON-safe. Throws the
 * `RangeError` of `Date.toISOString` for an invalid date.
 */
export function toJsonConversationEntry(conversation: ExportConversation): JsonConversationEntry {
  return {
    conversation_id: conversation.conversationId,
    title: conversation.title,
    tier: conversation.tier,
    status: conversation.status,
    is_seed: conversation.isSeed,
    persona: conversation.persona,
    emotion: conversation.emotion,
    topic: conversation.topic,
    intent: conversation.intent,
    tone: conversation.tone,
    source_category: conversation.sourceCategory,
    source_document: conversation.sourceDocument,
    chunk_key: conversation.chunkKey,
    quality_score: conversation.qualityScore,
    system_prompt: conversation.systemPrompt,
    turn_count: conversation.turns.length,
    turns: conversation.turns.map((turn) => ({ role: turn.role, content: turn.content })),
    provider: conversation.provider,
    model: conversation.model,
    created_at: conversation.createdAt.toISOString(),
    generated_at: conversation.generatedAt ? conversation.generatedAt.toISOString() : null,
    reviewed_at: conversation.reviewedAt ? conversation.reviewedAt.toISOString() : null,
    reviewer_id: conversation.reviewerId,
    reviewer_notes: conversation.reviewerNotes,
    metadata: conversation.metadata,
  };
}

/** The `json` export document: format version, the manifest as header, then the entries in order. */
export function buildJsonExportDocument(input: {
  manifest: ExportManifest;
  conversations: readonly ExportConversation[];
}): JsonExportDocument {
  return {
    format_version: FORMAT_VERSIONS.json,
    manifest: input.manifest,
    conversations: input.conversations.map(toJsonConversationEntry),
  };
}
