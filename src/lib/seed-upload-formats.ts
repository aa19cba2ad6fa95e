/**
 * The shapes a seed upload may have and how each is named to people (safe for client code; the
 * parser is src/core/import/seed-formats.ts).
 */

/** The shapes a seed upload may have. */
export const SEED_UPLOAD_FORMATS = ["brightrun_json", "openai_jsonl", "sharegpt", "text"] as const;
export type SeedUploadFormat = (typeof SEED_UPLOAD_FORMATS)[number];

/** How each format is named to people. */
export const SEED_UPLOAD_FORMAT_LABELS: Record<SeedUploadFormat, string> = {
  brightrun_json: "Bright Run seed JSON",
  openai_jsonl: "OpenAI chat JSONL",
  sharegpt: "ShareGPT",
  text: "Pasted text (User: / Assistant: lines)",
};
