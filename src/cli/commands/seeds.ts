import fs from "node:fs";
import path from "node:path";
import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { importSeedUpload, seedFormatLabel } from "../../core/import/import-seeds";
import { parseSeedUpload, SEED_UPLOAD_FORMATS, type SeedUploadFormat } from "../../core/import/seed-formats";
import { listSeeds } from "../../server/db/queries/seeds";
import { commonArgs, formatCount, resolveUserPath, say, withWorkspace } from "../context";

const list = defineCommand({
  meta: { name: "list", description: "The workspace's seed conversations (locked benchmarks) with persona, arc, topic, turns and quality." },
  args: { ...commonArgs, json: { type: "boolean", description: "Print JSON: [{ conversation_id, title, persona, emotional_arc, topic, turns, quality_score }]." } },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const seeds = await listSeeds({ db: handle.db, workspaceId: workspace.id });
      if (args.json) {
        say(JSON.stringify(seeds.map((s) => ({ conversation_id: s.conversationId, title: s.title, persona: s.persona, emotional_arc: s.emotion, topic: s.topic, turns: s.turnCount, quality_score: s.qualityScore })), null, 2));
        return;
      }
      if (!seeds.length) {
        say("No seed conversations yet. Add some with `brightrun seeds import FILE --persona … --arc … --topic … --intent … --tone …`.");
        return;
      }
      say(`${formatCount(seeds.length)} ${seeds.length === 1 ? "seed" : "seeds"} (locked):`);
      for (const s of seeds) say(`${s.conversationId.padEnd(10)} ${(s.qualityScore?.toFixed(1) ?? "—").padStart(4)}  ${String(s.turnCount).padStart(2)} turns  ${s.title ?? ""}  [${s.persona} · ${s.emotion} · ${s.topic}]`);
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

export default defineCommand({
  meta: { name: "seeds", description: "Seed conversations: hand-written, locked quality benchmarks (list, import)." },
  subCommands: { list, import: importSeeds },
});
