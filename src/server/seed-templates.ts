import "server-only";
/**
 * Seeds as templates (issue 11 item 7, US10.3.2), shared by the Seeds page's actions and
 * `brightrun seeds use-as-template | variations | list`:
 * - makeSeedTemplate: the seed's structure (extractSeedStructure) → a new DRAFT template asking
 *   for a variation of it (buildSeedTemplateText), version 1, source_seed_id = the seed;
 * - generateSeedVariations: plans N conversations from the seed's newest template (planSeedVariations);
 * - summarizeVariationsBySeed: each seed's variations against its quality score (summarizeSeedVariations).
 */
import { AppError } from "../core/errors";
import { MAX_SEED_VARIATIONS, planSeedVariations } from "../core/planning/create-plan";
import { validateTemplateText, type TemplateProblem } from "../core/templates";
import { buildSeedTemplateText, describeSeedStructure, extractSeedStructure, SEED_TEMPLATE_SETTINGS, SEED_TEMPLATE_SYSTEM_PROMPT, type SeedStructure } from "../core/templates/seed-structure";
import { summarizeSeedVariations, type SeedVariationSummary } from "../core/templates/seed-variations";
import type { Database, DbOrTx } from "./db/client";
import { getSeedForTemplate, insertSeedTemplate, listSeedTemplates, listSeedVariations, listTemplateKeysByPrefix } from "./db/queries/seed-templates";

export { MAX_SEED_VARIATIONS };

/** A template made from a seed. */
export interface SeedTemplateResult {
  templateId: string;
  key: string;
  name: string;
  structure: SeedStructure;
  /** The structure in one line ("6 turns, user turns 20–40 words, …"). */
  summary: string;
  /** Warnings of validateTemplateText (never an error: the text is built to validate). */
  problems: TemplateProblem[];
}

async function requireSeed(db: DbOrTx, workspaceId: string, seedId: string) {
  const seed = await getSeedForTemplate({ db, workspaceId, seedId });
  if (!seed) throw new AppError("seed_not_found", `There is no seed conversation "${seedId.slice(0, 200)}" in this workspace. Pick one from the Seeds page or \`brightrun seeds list\`.`);
  return seed;
}

/** A template key free in the workspace: "seed-001-variation", then "-2", "-3"… */
async function freeTemplateKey(db: DbOrTx, workspaceId: string, base: string): Promise<string> {
  const taken = new Set(await listTemplateKeysByPrefix({ db, workspaceId, prefix: base }));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/**
 * "Use as template": makes a DRAFT template of the seed's tier from the seed's structure, at
 * version 1 by `userId`, with source_seed_id = the seed and seed_structure = the structure.
 * @param seedId the seed's human id ("seed-001") or uuid
 * @param name the template's name; default "Variation of <seed title or id>"
 * @throws AppError "seed_not_found"; "seed_empty" for a seed without turns; "template_invalid" if the built text does not validate (a bug)
 */
export async function makeSeedTemplate({ db, workspaceId, userId, seedId, name }: { db: Database; workspaceId: string; userId: string; seedId: string; name?: string }): Promise<SeedTemplateResult> {
  return db.transaction(async (tx) => {
    const seed = await requireSeed(tx, workspaceId, seedId);
    const c = seed.conversation;
    if (!seed.turns.length) throw new AppError("seed_empty", `Seed ${c.conversationId} has no turns, so there is no structure to copy. Pick a seed with turns.`);
    const arc = seed.arc
      ? { key: seed.arc.key, name: seed.arc.name, startingEmotion: seed.arc.startingEmotion, endingEmotion: seed.arc.endingEmotion, turnStructure: seed.arc.turnStructure }
      : null;
    const structure = extractSeedStructure({ turns: seed.turns, arc });
    const templateText = buildSeedTemplateText({ seed: { conversationId: c.conversationId, title: c.title, personaName: seed.personaName, topicName: seed.topicName }, turns: seed.turns, structure, tier: c.tier });
    const templateName = (name?.trim() || `Variation of ${c.title?.trim() || c.conversationId}`).slice(0, 200);
    const problems = validateTemplateText(templateText, c.tier, { templateName });
    const errors = problems.filter((p) => p.severity === "error");
    if (errors.length) throw new AppError("template_invalid", `The template made from ${c.conversationId} does not validate: ${errors[0].message}`);
    const key = await freeTemplateKey(tx, workspaceId, `${c.conversationId}-variation`.toLowerCase().replace(/[^a-z0-9-]+/g, "-"));
    const summary = describeSeedStructure(structure);
    const { id } = await insertSeedTemplate({
      db: tx,
      workspaceId,
      input: {
        key,
        name: templateName,
        tier: c.tier,
        description: `Asks for a variation of seed ${c.conversationId}${c.title ? ` ("${c.title}")` : ""}: ${summary}. Opening and closing moves are a keyword heuristic's reading of the seed.`.slice(0, 2000),
        sourceSeedId: c.id,
        seedStructure: structure as unknown as Record<string, unknown>,
        systemPrompt: SEED_TEMPLATE_SYSTEM_PROMPT,
        templateText,
        maxTokens: SEED_TEMPLATE_SETTINGS.maxTokens,
        temperature: SEED_TEMPLATE_SETTINGS.temperature,
        author: userId,
      },
    });
    return { templateId: id, key, name: templateName, structure, summary, problems };
  });
}

/**
 * "Generate variations": plans `count` (1–50) conversations of the seed's tier from the seed's
 * newest template not inactive, with other persona × arc × topic combinations than the seed's first.
 * @throws AppError "seed_not_found"; "seed_template_missing" when the seed has no usable template
 *   ("Use as template" first); "plan_invalid" / "plan_impossible" from the planner
 */
export async function generateSeedVariations({ db, workspaceId, seedId, count }: { db: Database; workspaceId: string; seedId: string; count: number }): Promise<{ conversationIds: string[]; template: { id: string; key: string; name: string } }> {
  const seed = await requireSeed(db, workspaceId, seedId);
  const templates = (await listSeedTemplates({ db, workspaceId, seedId: seed.conversation.id })).filter((t) => t.status !== "inactive");
  const template = templates.at(-1);
  if (!template) {
    throw new AppError("seed_template_missing", `Seed ${seed.conversation.conversationId} has no template to make variations from. Use it as a template first ("Use as template", or \`brightrun seeds use-as-template ${seed.conversation.conversationId}\`).`);
  }
  const c = seed.conversation;
  const { conversationIds } = await planSeedVariations({
    db,
    workspaceId,
    templateId: template.id,
    tier: template.tier,
    count,
    seed: { persona: c.persona, emotion: c.emotion, topic: c.topic, intent: c.intent, tone: c.tone, outcome: c.outcome },
  });
  return { conversationIds, template: { id: template.id, key: template.key, name: template.name } };
}

/** Each seed's template and variations summed up, by the seed's uuid. */
export interface SeedVariationsView extends SeedVariationSummary {
  /** The seed's newest template ("Use as template"), null when it has none. */
  template: { key: string; name: string; status: string } | null;
}

/**
 * The variations of the workspace's seeds against each seed's quality score (isBelowSeedBar flags
 * those below the seed's score − 1), by the seed's uuid; seeds without a template are left out.
 */
export async function summarizeVariationsBySeed({ db, workspaceId, seeds }: { db: Database; workspaceId: string; seeds: ReadonlyArray<{ id: string; qualityScore: number | null }> }): Promise<Record<string, SeedVariationsView>> {
  const [templates, variations] = await Promise.all([listSeedTemplates({ db, workspaceId }), listSeedVariations({ db, workspaceId })]);
  const out: Record<string, SeedVariationsView> = {};
  for (const seed of seeds) {
    const own = templates.filter((t) => t.sourceSeedId === seed.id);
    if (!own.length) continue;
    const newest = own.at(-1) as (typeof own)[number];
    out[seed.id] = {
      template: { key: newest.key, name: newest.name, status: newest.status },
      ...summarizeSeedVariations(
        variations.filter((v) => v.seedId === seed.id),
        seed.qualityScore,
      ),
    };
  }
  return out;
}
