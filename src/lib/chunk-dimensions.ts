/**
 * How a chunk's dimensions read on screen (the document page and the conversation preview).
 * Client-safe. The dimensions themselves are computed by core/import/chunk-document.ts.
 */
import { workspacePaths } from "./workspace-paths";

/** "audience_level" → "Audience level"; a trailing unit ("reading_time_s") is left to the value. */
export function dimensionLabel(name: string): string {
  const words = name.replace(/_s$/, "").replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A dimension's value as read: "6 s" for a `_s` dimension, "yes" / "no" for a flag, numbers with separators. */
export function dimensionValue(name: string, value: unknown): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return name.endsWith("_s") ? `${value.toLocaleString("en-US")} s` : value.toLocaleString("en-US");
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** The dimensions as [label, value] pairs, by name. */
export function describeDimensions(dimensions: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => [dimensionLabel(name), dimensionValue(name, value)]);
}

/** A document's page in workspace `slug`. */
export function documentHref(slug: string, documentKey: string): string {
  return workspacePaths(slug).document(documentKey);
}

/** Where a chunk is shown: its document's page, scrolled to the chunk. */
export function chunkHref(slug: string, documentKey: string, ordinal: number): string {
  return `${documentHref(slug, documentKey)}#chunk-${ordinal}`;
}

/**
 * A chunk dimension is offered as a filter only while its values are few: a dimension of more
 * distinct values than this (free text from an upstream chunk file) is not listed or counted.
 */
export const MAX_CHUNK_DIMENSION_VALUES = 50;

/**
 * The order a dimension's values are listed in (filter menus), where the values have a natural
 * order; values not listed here follow, A–Z. Names are those computeChunkDimensions writes, plus
 * "expertise_level" as upstream chunk files often name it.
 */
export const CHUNK_DIMENSION_VALUE_ORDER: Readonly<Record<string, readonly string[]>> = {
  audience_level: ["beginner", "intermediate", "advanced"],
  expertise_level: ["beginner", "intermediate", "advanced", "expert"],
  emotional_valence: ["positive", "neutral", "negative"],
  content_type: ["procedural", "narrative", "conceptual"],
  has_numbers: ["true", "false"],
};

/** A dimension's values (as text) in menu order: CHUNK_DIMENSION_VALUE_ORDER first, the rest A–Z. */
export function sortDimensionValues(name: string, values: readonly string[]): string[] {
  const order = CHUNK_DIMENSION_VALUE_ORDER[name] ?? [];
  const rank = (value: string) => (order.includes(value) ? order.indexOf(value) : order.length);
  return [...values].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A filter value (the text `dimensions ->> name` gives) as a menu reads it: "true" → "Yes", "false" → "No", "advanced" → "Advanced". */
export function dimensionTextLabel(name: string, text: string): string {
  const label = text === "true" || text === "false" ? dimensionValue(name, text === "true") : text;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/**
 * One chunk-dimension filter value as the URL's `chunk` list and the CLI's `--chunk-dimension`
 * write it: `name:value` ("audience_level:advanced"). The name never holds ":", the value may.
 */
export function formatChunkDimensionItem(name: string, value: string): string {
  return `${name}:${value}`;
}

/** `"audience_level:advanced"` → `{ name, value }`; null when there is no ":" or either side is empty. */
export function parseChunkDimensionItem(item: string): { name: string; value: string } | null {
  const at = item.indexOf(":");
  if (at <= 0) return null;
  const name = item.slice(0, at).trim();
  const value = item.slice(at + 1).trim();
  return name && value ? { name, value } : null;
}

/** A chunk-dimension filter as `name:value` items, names A–Z, each name's values in the given order. */
export function chunkDimensionItems(chunkDimension: Record<string, string[]> | undefined): string[] {
  return Object.keys(chunkDimension ?? {})
    .sort()
    .flatMap((name) => (chunkDimension?.[name] ?? []).map((value) => formatChunkDimensionItem(name, value)));
}

/** `name:value` items → the filter record (OR within a name, AND across names); repeated items kept once. */
export function chunkDimensionFromItems(items: Array<{ name: string; value: string }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { name, value } of items) {
    const values = (out[name] ??= []);
    if (!values.includes(value)) values.push(value);
  }
  return out;
}
