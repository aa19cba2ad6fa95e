/**
 * Document categories (issue 9 item 2): each workspace keeps its own list of the categories its
 * Documents page offers (Settings → Workspace, `brightrun workspaces categories`). Safe for client
 * code: the Settings form and the server check a list with the same schema.
 */
import { z } from "zod";

/** The seeds' document categories (seed-narrative.md, user-stories.md): a workspace's list until it sets its own. */
export const DEFAULT_DOCUMENT_CATEGORIES: readonly string[] = ["Complete Systems", "Proprietary Strategies", "Client Stories"];

/** Longest category name, in characters. */
export const MAX_DOCUMENT_CATEGORY_LENGTH = 60;

/** Most categories one workspace's list holds. */
export const MAX_DOCUMENT_CATEGORIES = 50;

/** The category of a document that was given none; never offered, never in a list. */
export const UNCATEGORIZED = "Uncategorized";

/** A workspace's document categories: its own list, or the built-in one (`isDefault`) until it sets one. */
export interface DocumentCategoryList {
  categories: string[];
  isDefault: boolean;
}

/**
 * A workspace's category list: each entry trimmed, 1–60 characters, no two the same ignoring
 * capital letters, at most 50 entries; an empty list is allowed (the Documents page then offers
 * only the categories its documents already use). Issues carry plain-English messages that name
 * the entry (the path is the entry's index).
 */
export const documentCategoryListSchema = z
  .array(z.string(), { error: "The categories must be a list of names." })
  .superRefine((entries, ctx) => {
    if (entries.length > MAX_DOCUMENT_CATEGORIES) {
      ctx.addIssue({ code: "custom", message: `The list has ${entries.length} categories; a workspace can have at most ${MAX_DOCUMENT_CATEGORIES}. Remove some.` });
      return;
    }
    const seen = new Map<string, string>();
    entries.forEach((raw, index) => {
      const name = raw.trim();
      if (!name) {
        ctx.addIssue({ code: "custom", path: [index], message: `Category ${index + 1} is empty: give it a name or remove it.` });
        return;
      }
      if (name.length > MAX_DOCUMENT_CATEGORY_LENGTH) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: `"${name.slice(0, 24)}…" is ${name.length} characters long; a category can be at most ${MAX_DOCUMENT_CATEGORY_LENGTH}. Shorten it.`,
        });
        return;
      }
      if (name.toLowerCase() === UNCATEGORIZED.toLowerCase()) {
        ctx.addIssue({ code: "custom", path: [index], message: `"${name}" is what a document without a category is called; it can't be in the list. Remove it.` });
        return;
      }
      const first = seen.get(name.toLowerCase());
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          message:
            first === name
              ? `"${name}" is in the list twice: keep one.`
              : `"${first}" and "${name}" are the same category (capital letters don't make categories different): keep one.`,
        });
        return;
      }
      seen.set(name.toLowerCase(), name);
    });
  })
  .transform((entries) => entries.map((e) => e.trim()));

/**
 * Reads the CLI's `--set "A,B,C"`: comma-separated names, trimmed; blank pieces (a trailing comma)
 * are dropped, so `--set ""` is the empty list. Not checked here: pass the result to the schema.
 */
export function parseCategoryListArg(value: string): string[] {
  return value
    .split(",")
    .map((piece) => piece.trim())
    .filter(Boolean);
}
