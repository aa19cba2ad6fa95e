import path from "node:path";
import { defineCommand } from "citty";
import { CONVERSATION_STATUSES, EXPORT_FORMATS, TIERS, type ConversationStatus, type Tier } from "../../lib/constants";
import { chunkDimensionFromItems, parseChunkDimensionItem } from "../../lib/chunk-dimensions";
import { CHUNK_DIMENSION_NAME, type ConversationFilter } from "../../lib/conversation-filter";
import { DEDUP_THRESHOLD, exportRequestSchema, SPLIT_PERCENT, type ExportRequestInput } from "../../lib/export-request";
import { AppError } from "../../core/errors";
import { TARGET_FAMILIES, type TargetFamily } from "../../core/export/dataset-checks/target-families";
import { writeRequestedExport } from "../../core/export/write-export";
import { commonArgs, listArg, say, withWorkspace } from "../context";
import { SYSTEM_VERSION } from "../version";
import { enumList } from "./generate";

/** A number argument, or an `argument_invalid` AppError naming the flag. */
function numberArg(value: string | undefined, flag: string, rule: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || !rule(n)) throw new AppError("argument_invalid", `${flag} must be ${expected} (got "${value}").`);
  return n;
}

/**
 * `--chunk-dimension`: `name:value` items, comma-separated, as the table's URL writes them
 * ("audience_level:advanced,content_type:narrative"): OR within a name, AND across names.
 * @throws AppError "argument_invalid" naming the item that is not `name:value`.
 */
export function chunkDimensionArg(value: string | undefined): Record<string, string[]> | undefined {
  const items = value
    ?.split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  if (!items?.length) return undefined;
  const parsed = items.map((item) => {
    const pair = parseChunkDimensionItem(item);
    if (!pair || !CHUNK_DIMENSION_NAME.test(pair.name)) {
      throw new AppError(
        "argument_invalid",
        `--chunk-dimension takes dimension:value pairs such as audience_level:advanced (comma-separated; the dimension names are in \`brightrun documents show KEY\`), not "${item}".`,
      );
    }
    return pair;
  });
  return chunkDimensionFromItems(parsed);
}

/** `--target`: a family name as TARGET_FAMILIES spells it, dashes optional ("llama3" = "llama-3"). */
function targetArg(value: string | undefined): TargetFamily | undefined {
  if (value === undefined) return undefined;
  const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9.]/g, "");
  const family = TARGET_FAMILIES.find((name) => squash(name) === squash(value));
  if (!family) throw new AppError("argument_invalid", `--target must be one of ${TARGET_FAMILIES.join(", ")} (got "${value}"). See docs/dataset-checks.md for the families not supported yet.`);
  return family;
}

export default defineCommand({
  meta: {
    name: "export",
    description:
      "Export conversations for fine-tuning (approved only unless --status says otherwise), with optional dataset checks: duplicates, a train/validation split, token counts and a chat-template render check. Prints the written file's path as its last line.",
  },
  args: {
    ...commonArgs,
    format: { type: "string", description: `One of ${EXPORT_FORMATS.join(", ")}.`, required: true, valueHint: "F" },
    status: { type: "string", description: "Statuses to include (default approved), comma-separated.", valueHint: "S" },
    tier: { type: "string", description: `Only these tiers (${TIERS.join(", ")}).`, valueHint: "T" },
    persona: { type: "string", description: "Only these persona keys.", valueHint: "KEYS" },
    emotion: { type: "string", description: "Only these emotional arc keys.", valueHint: "KEYS" },
    topic: { type: "string", description: "Only these topic keys.", valueHint: "KEYS" },
    document: { type: "string", description: "Only conversations planned from these documents (keys, as `brightrun documents list` shows them).", valueHint: "KEYS" },
    "chunk-dimension": {
      type: "string",
      description:
        "Only conversations planned from a chunk with these dimensions, as dimension:value pairs, comma-separated (e.g. audience_level:advanced,content_type:narrative): any value of one dimension, all dimensions named.",
      valueHint: "DIM:VALUE",
    },
    "min-score": { type: "string", description: "Only conversations scoring at least N.", valueHint: "N" },
    search: { type: "string", description: "Only conversations whose id, title or persona / emotion / topic / intent / tone name contains TEXT (the table's search).", valueHint: "TEXT" },
    split: { type: "string", description: `Hold out N percent (${SPLIT_PERCENT.min}–${SPLIT_PERCENT.max}) for validation, stratified by tier and persona: writes -train and -validation files.`, valueHint: "N" },
    seed: { type: "string", description: 'Seed of the split (default "brightrun"); the same seed gives the same split.', valueHint: "TEXT" },
    dedup: { type: "boolean", description: "Leave out exact and near-duplicates, keeping the best-scoring of each group (--no-dedup: keep them; the default).", default: false },
    "near-dup-threshold": {
      type: "string",
      description: `Jaccard similarity of 5-word shingles from which two conversations are near-duplicates (${DEDUP_THRESHOLD.min}–${DEDUP_THRESHOLD.max}, default ${DEDUP_THRESHOLD.default}); implies --dedup.`,
      valueHint: "X",
    },
    target: { type: "string", description: `Count tokens and render each record through this model's chat template: ${TARGET_FAMILIES.join(", ")}.`, valueHint: "MODEL" },
    "context-length": { type: "string", description: "Override the target model's context length (tokens, at least 256).", valueHint: "N" },
    name: { type: "string", description: "File name stem (letters, digits, '.', '_', '-'); default training-data-DATE-STATUS-N-conversations.", valueHint: "STEM" },
    zip: { type: "boolean", description: "Also write one ZIP holding every file of the export (printed last).", default: false },
    out: { type: "string", description: "Folder to write into (each export gets its own sub-folder).", default: "exports", valueHint: "DIR" },
  },
  async run({ args }) {
    if (!EXPORT_FORMATS.includes(args.format as (typeof EXPORT_FORMATS)[number])) {
      throw new AppError("argument_invalid", `--format must be one of ${EXPORT_FORMATS.join(", ")} (got "${args.format}").`);
    }
    const minScore = numberArg(args["min-score"], "--min-score", (n) => n >= 1 && n <= 10, "a number from 1 to 10");
    const filter: ConversationFilter = {
      status: enumList<ConversationStatus>(args.status, CONVERSATION_STATUSES, "--status"),
      tier: enumList<Tier>(args.tier, TIERS, "--tier"),
      persona: listArg(args.persona),
      emotion: listArg(args.emotion),
      topic: listArg(args.topic),
      document: listArg(args.document),
      chunkDimension: chunkDimensionArg(args["chunk-dimension"]),
      minQuality: minScore,
    };
    const splitPercent = numberArg(args.split, "--split", (n) => n >= SPLIT_PERCENT.min && n <= SPLIT_PERCENT.max, `a percentage from ${SPLIT_PERCENT.min} to ${SPLIT_PERCENT.max}`);
    const threshold = numberArg(args["near-dup-threshold"], "--near-dup-threshold", (n) => n >= DEDUP_THRESHOLD.min && n <= DEDUP_THRESHOLD.max, `a similarity from ${DEDUP_THRESHOLD.min} to ${DEDUP_THRESHOLD.max}`);
    const contextLength = numberArg(args["context-length"], "--context-length", (n) => Number.isInteger(n) && n >= 256, "a whole number of tokens, at least 256");
    const family = targetArg(args.target);
    if (contextLength !== undefined && !family) throw new AppError("argument_invalid", "--context-length needs --target (the model whose context it is).");
    if (args.seed !== undefined && splitPercent === undefined) throw new AppError("argument_invalid", "--seed needs --split (the seed chooses the split).");
    const input: ExportRequestInput = {
      selection: { kind: "filtered", filter, search: args.search ?? "" },
      format: args.format as (typeof EXPORT_FORMATS)[number],
      fileStem: args.name ?? null,
      split: splitPercent === undefined ? null : { validationPercent: splitPercent, seed: args.seed },
      dedup: { enabled: Boolean(args.dedup) || threshold !== undefined, threshold: threshold ?? DEDUP_THRESHOLD.default },
      target: family ? { family, contextLength } : null,
      zip: Boolean(args.zip),
    };
    const parsed = exportRequestSchema.safeParse(input);
    if (!parsed.success) throw new AppError("argument_invalid", parsed.error.issues[0]?.message ?? "The export options are not valid.");
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "export" }, async ({ handle, user, workspace }) => {
      const result = await writeRequestedExport({ db: handle.db, workspaceId: workspace.id, request: parsed.data, outDir: path.resolve(args.out), userId: user.id, systemVersion: SYSTEM_VERSION });
      const dropped = result.selected - result.count;
      say(
        `Exported ${result.count} ${result.approvedByRule ? "approved " : ""}conversations as ${args.format}` +
          (dropped > 0 ? ` (${dropped} duplicate${dropped === 1 ? "" : "s"} left out of ${result.selected})` : "") +
          `; manifest: ${result.manifestPath}`,
      );
      for (const message of result.manifest.dataset_checks?.messages ?? []) say(`  ${message}`);
      const render = result.manifest.dataset_checks?.template_render;
      if (render?.available) say(`  Chat-template render (${render.family}): ${render.rendered - render.failed} of ${render.rendered} records rendered, ${render.failed} failed.`);
      if (result.manifest.generated_without_language_model) {
        say("Note: some of these conversations were composed by the simulated provider, not a language model.");
      }
      // The last line is the file a script takes: the ZIP when asked for, else the (training) data file.
      const [dataPath, ...otherDataPaths] = result.dataPaths;
      for (const other of otherDataPaths) say(other);
      if (result.archivePath) say(dataPath);
      say(result.archivePath ?? dataPath);
    });
  },
});
