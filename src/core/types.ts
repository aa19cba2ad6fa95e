/**
 * Framework-free domain shapes shared by planning, generation, quality and export.
 * Nothing here touches the database or Next.js.
 */
import type { ConversationStatus, ProviderName, Tier, TurnRole } from "../lib/constants";

/** One message of a conversation. `role` alternates, starting with `user`. */
export interface Turn {
  role: TurnRole;
  content: string;
}

/** A taxonomy entry as the core sees it (persona, emotional arc, topic, intent, tone, edge-case category). */
export interface TaxonomyEntry {
  key: string;
  name: string;
  description: string;
}

export interface Persona extends TaxonomyEntry {
  /** Free-form attributes from the import file: traits, communication_style, goals… */
  attributes: Record<string, unknown>;
}

export interface EmotionalArc extends TaxonomyEntry {
  startingEmotion: string;
  endingEmotion: string;
  /** How the turns progress emotionally, in prose ("opens worried, … ends relieved"). */
  turnStructure: string;
}

export interface Topic extends TaxonomyEntry {
  keyTerms: string[];
}

export interface EdgeCaseCategory extends TaxonomyEntry {
  /** What the conversation must test ("client demands a guaranteed return"). */
  testCondition: string;
}

export interface Scenario {
  key: string;
  title: string;
  category: string;
  problem: string;
  solution: string;
  outcome: string;
}

/** A chunk of a source document with its dimensions. */
export interface Chunk {
  key: string;
  documentKey: string;
  documentTitle: string;
  category: string;
  heading: string | null;
  content: string;
  summary: string;
  keyTerms: string[];
  /** e.g. { audience_level: "beginner", emotional_valence: "positive", content_type: "procedural", word_count: 212 } */
  dimensions: Record<string, unknown>;
}

/**
 * Everything needed to generate one conversation: the slot's dimensions resolved to full
 * taxonomy entries. Built by the generation pipeline from the database row.
 */
export interface GenerationContext {
  conversationId: string;
  tier: Tier;
  persona: Persona;
  emotionalArc: EmotionalArc;
  topic: Topic;
  intent: TaxonomyEntry;
  tone: TaxonomyEntry;
  chunk: Chunk | null;
  scenario: Scenario | null;
  edgeCase: EdgeCaseCategory | null;
  /** How the conversation should end (the slot's outcome); null when the slot has none. */
  outcome: TaxonomyEntry | null;
  /** Business the trained assistant speaks for (workspace.json `business_name`). */
  businessName: string;
  /** The system prompt of the assistant being trained; goes first in exports. */
  trainingSystemPrompt: string;
}

/** A conversation as exporters and the quality scorer consume it. */
export interface ExportConversation {
  /** Human id, e.g. "conv-0042" or "seed-003". */
  conversationId: string;
  title: string | null;
  tier: Tier;
  status: ConversationStatus;
  isSeed: boolean;
  persona: string;
  emotion: string;
  topic: string;
  intent: string;
  tone: string;
  sourceCategory: string | null;
  sourceDocument: string | null;
  chunkKey: string | null;
  qualityScore: number | null;
  systemPrompt: string;
  turns: Turn[];
  provider: ProviderName | null;
  model: string | null;
  createdAt: Date;
  generatedAt: Date | null;
  reviewedAt: Date | null;
  reviewerId: string | null;
  reviewerNotes: string | null;
  metadata: Record<string, unknown>;
}
