import fs from "node:fs";
import path from "node:path";
import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { importSeedUpload, seedFormatLabel } from "../../core/import/import-seeds";
import { parseSeedUpload, SEED_UPLOAD_FORMATS, type SeedUploadFormat } from "../../core/import/seed-formats";
import { listSeeds } from "../../server/db/queries/seeds";
import { generateSeedVariations, makeSeedTemplate, MAX_SEED_VARIATIONS, summarizeVariationsBySeed } from "../../server/seed-templates";
import { workspacePaths } from "../../lib/workspace-paths";
import { commonArgs, formatCount, resolveUserPath, say, withWorkspace } from "../context";

const list = defineCommand({
  meta: { name: "list", description: "The workspace's seed conversations (locked benchmarks) with persona, arc, topic, turns and quality." },
  args: {
    ...commonArgs,
    json: {
      type: "boolean",
      description:
        "Print JSON: [{ conversation_id, title, persona, emotional_arc, topic, turns, quality_score, variations }]; `variations` is null until the seed is used as a template, else { template, planned, generated, average_quality, seed_quality, flagged: [{ conversation_id, quality_score }] }.",
    },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const seeds = await listSeeds({ db: handle.db, workspaceId: workspace.id });
      const variations = await summarizeVariationsBySeed({ db: handle.db, workspaceId: workspace.id, seeds });
      if (args.json) {
        say(
          JSON.stringify(
            seeds.map((s) => {
              const v = variations[s.id];
              return {
                conversation_id: s.conversationId,
                title: s.title,
                persona: s.persona,
                emotional_arc: s.emotion,
                topic: s.topic,
                turns: s.turnCount,
                quality_score: s.qualityScore,
                variations: v
                  ? {
                      template: v.template?.key ?? null,
                      planned: v.planned,
                      generated: v.generated,
                      average_quality: v.averageQuality,
                      seed_quality: v.seedQuality,
                      flagged: v.flagged.map((f) => ({ conversation_id: f.conversationId, quality_score: f.qualityScore })),
                    }
                  : null,
              };
            }),
            null,
            2,
          ),
        );
        return;
      }
      if (!seeds.length) {
        say("No seed conversations yet. Add some with `brightrun seeds import FILE --persona … --arc … --topic … --intent … --tone …`.");
        return;
      }
      say(`${formatCount(seeds.length)} ${seeds.length === 1 ? "seed" : "seeds"} (locked):`);
      for (const s of seeds) {
        say(`${s.conversationId.padEnd(10)} ${(s.qualityScore?.toFixed(1) ?? "—").padStart(4)}  ${String(s.turnCount).padStart(2)} turns  ${s.title ?? ""}  [${s.persona} · ${s.emotion} · ${s.topic}]`);
        const v = variations[s.id];
        if (v) {
          const flagged = v.flagged.length ? `, ${v.flagged.length} below the seed's score − 1: ${v.flagged.map((f) => `${f.conversationId} (${f.qualityScore.toFixed(1)})`).join(", ")}` : "";
          say(`           variations (${v.template?.key ?? "?"}): ${v.generated} of ${v.planned} generated, average ${v.averageQuality?.toFixed(1) ?? "—"} vs seed ${v.seedQuality?.toFixed(1) ?? "—"}${flagged}`);
        }
      }
    });
  },
});

const importSeeds = defineCommand({
  meta: {
    name: "import",
    description:
      "Import seed conversations from OpenAI chat JSONL, ShareGPT, a text file of \"User: … / Assistant: …\" lines, or Bright Run seed JSON (docs/import-formats.md). Every conversation of the file gets the persona, arc, topic, intent and tone given (seed JSON names its own). All or nothing.",
  },
  args: {
    ...commonArgs,
    file: { type: "positional", description: "The file to read.", required: true },
    persona: { type: "string", description: "Persona key for every conversation.", valueHint: "KEY" },
    arc: { type: "string", description: "Emotional arc key.", valueHint: "KEY" },
    topic: { type: "string", description: "Topic key.", valueHint: "KEY" },
    intent: { type: "string", description: "Intent key.", valueHint: "KEY" },
    tone: { type: "string", description: "Tone key.", valueHint: "KEY" },
    title: { type: "string", description: "Title of every conversation (default: the first words of its first user turn).", valueHint: "TEXT" },
    format: { type: "string", description: `Read the file as ${SEED_UPLOAD_FORMATS.join(" | ")} (default: recognised from its content).`, valueHint: "FORMAT" },
  },
  async run({ args }) {
    const format = args.format?.trim() || undefined;
    if (format && !(SEED_UPLOAD_FORMATS as readonly string[]).includes(format)) {
      throw new AppError("invalid_arguments", `Unknown --format "${format}". Use one of: ${SEED_UPLOAD_FORMATS.join(", ")}.`);
    }
    const file = resolveUserPath(args.file);
    if (!fs.existsSync(file)) throw new AppError("import_not_found", `Nothing to import at ${args.file}: no such file. Check the path.`);
    const text = fs.readFileSync(file, "utf8");
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "import" }, async ({ handle, user, workspace }) => {
      const parsed = parseSeedUpload({ text, format: format as SeedUploadFormat | undefined });
      const needsMapping = parsed.ok && parsed.format !== "brightrun_json";
      if (needsMapping) {
        const missing = (["persona", "arc", "topic", "intent", "tone"] as const).filter((name) => !args[name]?.trim());
        if (missing.length) throw new AppError("invalid_arguments", `Say what the conversations are about: add ${missing.map((m) => `--${m} KEY`).join(" ")} (keys from \`brightrun status\` or the Customers page).`);
      }
      const mappings = parsed.ok
        ? parsed.conversations.map((c) => ({
            title: args.title?.trim() || c.suggestedTitle,
            persona: args.persona ?? "",
            emotionalArc: args.arc ?? "",
            topic: args.topic ?? "",
            intent: args.intent ?? "",
            tone: args.tone ?? "",
          }))
        : [];
      const result = await importSeedUpload({ db: handle.db, workspaceId: workspace.id, userId: user.id, text, format: format as SeedUploadFormat | undefined, mappings, label: path.basename(args.file) });
      say(`Imported ${args.file} (${seedFormatLabel(result.format)}): ${result.created.length} new ${result.created.length === 1 ? "seed" : "seeds"}${result.created.length ? ` (${result.created.join(", ")})` : ""}${result.unchanged ? `, ${result.unchanged} already there and left as they are` : ""}.`);
    });
  },
});

const useAsTemplate = defineCommand({
  meta: {
    name: "use-as-template",
    description:
      "Make a DRAFT prompt template from a seed (issue 11 item 7): its turn count, turn lengths, arc progression and opening and closing moves become the constraints of a template that asks for a variation of the seed. Edit and activate it on the Templates page.",
  },
  args: {
    ...commonArgs,
    seed: { type: "positional", description: "The seed's conversation id (seed-001), from `brightrun seeds list`.", required: true },
    name: { type: "string", description: 'The template\'s name (default: "Variation of <seed title>").', valueHint: "TEXT" },
    json: { type: "boolean", description: "Print JSON: { key, name, status, structure, editor_url }." },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "import" }, async ({ handle, user, workspace }) => {
      const made = await makeSeedTemplate({ db: handle.db, workspaceId: workspace.id, userId: user.id, seedId: args.seed, name: args.name });
      const editorUrl = workspacePaths(workspace.slug).template(made.key);
      if (args.json) {
        say(JSON.stringify({ key: made.key, name: made.name, status: "draft", structure: made.structure, editor_url: editorUrl }, null, 2));
        return;
      }
      say(`Draft template "${made.name}" (${made.key}) made from ${args.seed}: ${made.summary}.`);
      say(`Opening and closing moves are a keyword heuristic's reading of the seed. Edit it at ${editorUrl}; plan variations with \`brightrun seeds variations ${args.seed} --count N\`.`);
    });
  },
});

const variations = defineCommand({
  meta: {
    name: "variations",
    description: `Plan N conversations (1–${MAX_SEED_VARIATIONS}) from a seed's template, with other personas, arcs and topics than the seed; generate them with \`brightrun generate ID …\`.`,
  },
  args: {
    ...commonArgs,
    seed: { type: "positional", description: "The seed's conversation id (seed-001).", required: true },
    count: { type: "string", description: `How many variations to plan (1–${MAX_SEED_VARIATIONS}, default 3).`, valueHint: "N", default: "3" },
    json: { type: "boolean", description: "Print JSON: { template, conversation_ids }." },
  },
  async run({ args }) {
    const count = Number(args.count);
    if (!Number.isInteger(count) || count < 1 || count > MAX_SEED_VARIATIONS) throw new AppError("invalid_arguments", `--count must be a whole number from 1 to ${MAX_SEED_VARIATIONS}.`);
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "plan" }, async ({ handle, workspace }) => {
      const planned = await generateSeedVariations({ db: handle.db, workspaceId: workspace.id, seedId: args.seed, count });
      if (args.json) {
        say(JSON.stringify({ template: planned.template.key, conversation_ids: planned.conversationIds }, null, 2));
        return;
      }
      say(`Planned ${planned.conversationIds.length} ${planned.conversationIds.length === 1 ? "variation" : "variations"} of ${args.seed} from "${planned.template.name}": ${planned.conversationIds.join(", ")}.`);
      say(`Generate them with \`brightrun generate ${planned.conversationIds.join(" ")}\`.`);
    });
  },
});

export default defineCommand({
  meta: { name: "seeds", description: "Seed conversations: hand-written, locked quality benchmarks (list, import, use-as-template, variations)." },
  subCommands: { list, import: importSeeds, "use-as-template": useAsTemplate, variations },
});
