import path from "node:path";
import { defineCommand } from "citty";
import { CONVERSATION_STATUSES, EXPORT_FORMATS, TIERS, type ConversationStatus, type ExportFormat, type Tier } from "../../lib/constants";
import type { ConversationFilter } from "../../lib/conversation-filter";
import { AppError } from "../../core/errors";
import { writeExport } from "../../core/export/write-export";
import { commonArgs, listArg, say, withDatabase } from "../context";
import { SYSTEM_VERSION } from "../version";
import { enumList } from "./generate";

export default defineCommand({
  meta: {
    name: "export",
    description: "Export conversations for fine-tuning (approved only by default). Prints the written file's path as its last line.",
  },
  args: {
    ...commonArgs,
    format: { type: "string", description: `One of ${EXPORT_FORMATS.join(", ")}.`, required: true, valueHint: "F" },
    status: { type: "string", description: "Statuses to include (default approved), comma-separated.", valueHint: "S" },
    tier: { type: "string", description: `Only these tiers (${TIERS.join(", ")}).`, valueHint: "T" },
    persona: { type: "string", description: "Only these persona keys.", valueHint: "KEYS" },
    emotion: { type: "string", description: "Only these emotional arc keys.", valueHint: "KEYS" },
    topic: { type: "string", description: "Only these topic keys.", valueHint: "KEYS" },
    "min-score": { type: "string", description: "Only conversations scoring at least N.", valueHint: "N" },
    out: { type: "string", description: "Folder to write into (each export gets its own sub-folder).", default: "exports", valueHint: "DIR" },
  },
  async run({ args }) {
    if (!EXPORT_FORMATS.includes(args.format as ExportFormat)) {
      throw new AppError("argument_invalid", `--format must be one of ${EXPORT_FORMATS.join(", ")} (got "${args.format}").`);
    }
    const minScore = args["min-score"] === undefined ? undefined : Number(args["min-score"]);
    if (minScore !== undefined && !(minScore >= 1 && minScore <= 10)) throw new AppError("argument_invalid", "--min-score must be a number from 1 to 10.");
    const filter: ConversationFilter = {
      status: enumList<ConversationStatus>(args.status, CONVERSATION_STATUSES, "--status") ?? ["approved"],
      tier: enumList<Tier>(args.tier, TIERS, "--tier"),
      persona: listArg(args.persona),
      emotion: listArg(args.emotion),
      topic: listArg(args.topic),
      minQuality: minScore,
    };
    await withDatabase({ dataDir: args["data-dir"], permission: "export" }, async ({ handle, user }) => {
      const result = await writeExport({
        db: handle.db,
        format: args.format as ExportFormat,
        filter,
        outDir: path.resolve(args.out),
        userId: user.id,
        systemVersion: SYSTEM_VERSION,
      });
      say(`Exported ${result.count} conversations as ${args.format}; manifest: ${result.manifestPath}`);
      if (result.manifest.generated_without_language_model) {
        say("Note: some of these conversations were composed by the simulated provider, not a language model.");
      }
      say(result.dataPath);
    });
  },
});
