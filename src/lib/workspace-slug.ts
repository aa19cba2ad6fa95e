/**
 * Workspace slugs: the name of a workspace in URLs (`/w/<slug>/…`) and on the CLI
 * (`--workspace SLUG`). Safe for client code.
 */
import { z } from "zod";

/** Longest slug, in characters. */
export const MAX_SLUG_LENGTH = 48;

/** 1–48 lower-case letters, digits and single dashes, starting and ending with a letter or digit. */
export const WORKSPACE_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,47}$/;

/** "Harbor & Pine Financial Planning" → "harbor-pine-financial-planning"; "" when nothing usable is left. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/g, "");
}

/** What New workspace asks for (and `brightrun workspaces create`). */
export const newWorkspaceSchema = z.strictObject({
  name: z.string().trim().min(1, "Give the workspace a name, e.g. your business's name.").max(120, "The name can be at most 120 characters."),
  /** Empty = made from the name. */
  slug: z
    .string()
    .trim()
    .max(MAX_SLUG_LENGTH)
    .regex(/^$|^[a-z0-9-]+$/, "The short name may only hold lower-case letters, digits and dashes.")
    .optional(),
  businessName: z.string().trim().max(200, "The business name can be at most 200 characters.").optional(),
  description: z.string().trim().max(4_000, "What the business does can be at most 4,000 characters.").default(""),
  trainingSystemPrompt: z
    .string()
    .trim()
    .max(20_000, "The voice (training system prompt) can be at most 20,000 characters.")
    .default(""),
});
export type NewWorkspaceInput = z.input<typeof newWorkspaceSchema>;
