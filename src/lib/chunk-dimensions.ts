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
