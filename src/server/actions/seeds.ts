"use server";
/**
 * Seed upload server actions (issue 10 item 4, US10.3.1): read an upload (OpenAI chat JSONL,
 * ShareGPT, Bright Run seed JSON, or pasted "User: / Assistant:" text) to show what it holds, then
 * import it with each conversation mapped to the taxonomy, all or nothing.
 */
import { z } from "zod";
import { importSeedUpload, type SeedUploadResult } from "@/core/import/import-seeds";
import { parseSeedUpload, SEED_UPLOAD_FORMATS, type SeedUploadFormat, type SeedUploadProblem } from "@/core/import/seed-formats";
import type { ActionResult } from "@/lib/dashboard-contract";
import { runAction } from "@/server/actions/action-result";
import { workspacePaths } from "@/lib/workspace-paths";
import { generateSeedVariations, MAX_SEED_VARIATIONS, makeSeedTemplate } from "@/server/seed-templates";
import { openWorkspace } from "@/server/workspace-context";

/** Largest upload accepted, in characters (about 5 MB of text). */
const MAX_UPLOAD_CHARACTERS = 5_000_000;

const uploadText = z.string().max(MAX_UPLOAD_CHARACTERS, "The upload is larger than 5 MB of text; split it into smaller files.");
const previewInput = z.strictObject({ text: uploadText, format: z.enum(SEED_UPLOAD_FORMATS).optional() });

/** What an upload holds: its format and, per conversation, where it is, its turns' count, its first words and a suggested title; or the problems. */
export type SeedUploadPreview =
  | {
      ok: true;
      format: SeedUploadFormat;
      /** True for Bright Run seed JSON: its entries name their own persona, arc, topic, intent and tone. */
      mapped: boolean;
      conversations: Array<{ where: string; turns: number; firstUserTurn: string; suggestedTitle: string; systemPrompt: boolean }>;
    }
  | { ok: false; format: SeedUploadFormat | null; problems: SeedUploadProblem[] };

/** Reads an upload without storing anything (permission "import"). */
export async function previewSeedUploadAction(workspace: string, input: z.input<typeof previewInput>): Promise<ActionResult<SeedUploadPreview>> {
  return runAction("previewSeedUploadAction", async () => {
    await openWorkspace(workspace, "import");
    const { text, format } = previewInput.parse(input);
    const parsed = parseSeedUpload({ text, format });
    if (!parsed.ok) return { ok: false, format: parsed.format, problems: parsed.problems.slice(0, 50) };
    return {
      ok: true,
      format: parsed.format,
      mapped: parsed.format === "brightrun_json",
      conversations: parsed.conversations.map((c) => ({
        where: c.where,
        turns: c.turns.length,
        firstUserTurn: (c.turns[0]?.content ?? "").slice(0, 200),
        suggestedTitle: c.suggestedTitle,
        systemPrompt: c.systemPrompt !== null,
      })),
    };
  });
}

const key = z.string().trim().min(1).max(120);
const importInput = z.strictObject({
  text: uploadText,
  format: z.enum(SEED_UPLOAD_FORMATS).optional(),
  /** A file name, or null for pasted text: named in messages. */
  fileName: z.string().trim().max(300).nullable().default(null),
  mappings: z
    .array(
      z.strictObject({
        title: z.string().max(200, "A title can be at most 200 characters."),
        persona: key.describe("persona"),
        emotionalArc: key,
        topic: key,
        intent: key,
        tone: key,
      }),
    )
    .max(500),
});

/**
 * Imports an upload as seed conversations (permission "import"): locked, approved, scored; all or
 * nothing, `seed_upload_invalid` naming each line or entry and what to fix.
 */
export async function importSeedUploadAction(workspace: string, input: z.input<typeof importInput>): Promise<ActionResult<SeedUploadResult>> {
  return runAction("importSeedUploadAction", async () => {
    const { db, user, workspace: ws } = await openWorkspace(workspace, "import");
    const { text, format, fileName, mappings } = importInput.parse(input);
    return importSeedUpload({ db, workspaceId: ws.id, userId: user.id, text, format, mappings, label: fileName ?? "the pasted text" });
  });
}

const seedTemplateInput = z.strictObject({
  seedId: z.string().trim().min(1, "Pick a seed.").max(200),
  name: z.string().trim().max(200, "Keep the name under 200 characters.").optional(),
});

/**
 * "Use as template" on a seed (issue 11 item 7; permission "import"): makes a draft template from
 * the seed's structure and returns where the template editor opens it.
 */
export async function makeSeedTemplateAction(workspace: string, input: z.input<typeof seedTemplateInput>): Promise<ActionResult<{ key: string; name: string; summary: string; editorUrl: string }>> {
  return runAction("makeSeedTemplateAction", async () => {
    const { db, user, workspace: ws } = await openWorkspace(workspace, "import");
    const { seedId, name } = seedTemplateInput.parse(input);
    const made = await makeSeedTemplate({ db, workspaceId: ws.id, userId: user.id, seedId, name });
    return { key: made.key, name: made.name, summary: made.summary, editorUrl: workspacePaths(ws.slug).template(made.key) };
  });
}

const variationsInput = z.strictObject({
  seedId: z.string().trim().min(1, "Pick a seed.").max(200),
  count: z
    .number()
    .int("The number of variations is a whole number.")
    .min(1, "Plan at least 1 variation.")
    .max(MAX_SEED_VARIATIONS, `Plan at most ${MAX_SEED_VARIATIONS} variations at a time.`),
});

/**
 * "Generate variations" of a seed (issue 11 item 7; permission "plan"): plans N conversations from
 * the seed's template; the page then offers the usual Generate dialog for exactly these ids.
 */
export async function planSeedVariationsAction(workspace: string, input: z.input<typeof variationsInput>): Promise<ActionResult<{ conversationIds: string[]; templateName: string }>> {
  return runAction("planSeedVariationsAction", async () => {
    const { db, workspace: ws } = await openWorkspace(workspace, "plan");
    const { seedId, count } = variationsInput.parse(input);
    const planned = await generateSeedVariations({ db, workspaceId: ws.id, seedId, count });
    return { conversationIds: planned.conversationIds, templateName: planned.template.name };
  });
}
