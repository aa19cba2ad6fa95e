import { defineCommand } from "citty";
import cliProgress from "cli-progress";
import { CONVERSATION_STATUSES, TIERS, type ConversationStatus, type Tier } from "../../lib/constants";
import { loadPriceOverrides } from "../../core/cost/prices";
import { AppError } from "../../core/errors";
import { runGeneration, type RunResult } from "../../core/generation/run-generation";
import { selectProvider } from "../../core/llm/select-provider";
import { commonArgs, formatUsd, listArg, note, positionals, say, withDatabase } from "../context";
import { describeProvider } from "../provider-line";

/** Validates enum list flags ("--tier template,scenario"). */
export function enumList<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T[] | undefined {
  const items = listArg(value);
  if (!items) return undefined;
  const bad = items.filter((i) => !allowed.includes(i as T));
  if (bad.length) throw new AppError("argument_invalid", `${flag} accepts ${allowed.join(", ")}; "${bad.join(", ")}" is not one of them.`);
  return items as T[];
}

/** Prints what a run did. */
export function printRunResult(result: RunResult): void {
  for (const s of result.skipped) note(`Skipped ${s.conversationId}: ${s.reason}.`);
  if (!result.run) {
    say("Nothing to generate: every selected conversation is already generated, reviewed, or a seed.");
    return;
  }
  const run = result.run;
  say(`Run ${run.id}: ${run.succeeded} generated, ${run.failed} failed of ${run.total} (${run.status.replace(/_/g, " ")}).`);
  say(`Tokens: ${run.inputTokens.toLocaleString("en-US")} in, ${run.outputTokens.toLocaleString("en-US")} out. Cost: ${formatUsd(run.costUsd)}. Time: ${(result.wallMs / 1000).toFixed(1)} s.`);
  const failures = result.outcomes.filter((o) => o.status === "failed");
  for (const f of failures.slice(0, 10)) {
    say(`  ✗ ${f.conversationId}: ${f.error?.message} (${f.error?.retryable ? "retryable: run `brightrun generate --status failed`" : "permanent"})`);
  }
  if (failures.length > 10) say(`  …and ${failures.length - 10} more failures (brightrun status).`);
}

export default defineCommand({
  meta: { name: "generate", description: "Generate conversations: by id, by tier, by status, or --all not yet generated." },
  args: {
    ...commonArgs,
    tier: { type: "string", description: `Only these tiers (${TIERS.join(", ")}), comma-separated.`, valueHint: "T" },
    status: { type: "string", description: "Pick conversations in these statuses: not_generated, failed.", valueHint: "S" },
    all: { type: "boolean", description: "Every conversation not generated yet." },
    concurrency: { type: "string", description: "Conversations generated at the same time (1-32).", default: "3", valueHint: "N" },
    provider: { type: "string", description: "anthropic, openai or simulated (default: from the environment).", valueHint: "P" },
    model: { type: "string", description: "Model name (default: the provider's default).", valueHint: "M" },
  },
  async run({ args }) {
    const ids = positionals(args);
    const tier = enumList<Tier>(args.tier, TIERS, "--tier");
    const status = enumList<ConversationStatus>(args.status, CONVERSATION_STATUSES, "--status");
    const concurrency = Number(args.concurrency);
    const selection = selectProvider({ env: process.env, flags: { provider: args.provider, model: args.model } });
    const priceOverrides = loadPriceOverrides(process.env);
    await withDatabase({ dataDir: args["data-dir"], permission: "generate" }, async ({ handle, user }) => {
      note(describeProvider(selection));
      const result = await runGenerationWithProgress({
        run: (hooks) =>
          runGeneration({
            db: handle.db,
            selection: { ids, tier, status, all: args.all },
            provider: selection.provider,
            model: selection.model,
            userId: user.id,
            concurrency,
            priceOverrides,
            ...hooks,
          }),
      });
      printRunResult(result);
      if (result.run && result.run.failed > 0) process.exitCode = 2;
    });
  },
});

/**
 * Runs `run` with a progress bar on a terminal (stderr), or a line every 10 % when not on one.
 */
export async function runGenerationWithProgress(options: {
  run: (hooks: Pick<Parameters<typeof runGeneration>[0], "onStart" | "onProgress">) => Promise<RunResult>;
}): Promise<RunResult> {
  const interactive = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let nextMark = 0.1;
  const result = await options.run({
    onStart: ({ total }) => {
      if (interactive) {
        bar = new cliProgress.SingleBar(
          { format: "Generating [{bar}] {value}/{total} {percentage}% | {succeeded} ok, {failed} failed | {cost} | ETA {eta_formatted}", stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { succeeded: 0, failed: 0, cost: "$0.0000" });
      } else {
        note(`Generating ${total} conversations…`);
      }
    },
    onProgress: (p) => {
      if (bar) bar.update(p.done, { succeeded: p.succeeded, failed: p.failed, cost: formatUsd(p.costUsd) });
      else if (p.done / p.total >= nextMark || p.done === p.total) {
        note(`  ${p.done} of ${p.total} – ${Math.round((p.done / p.total) * 100)}% (${p.succeeded} ok, ${p.failed} failed, ${formatUsd(p.costUsd)})`);
        while (nextMark <= p.done / p.total) nextMark += 0.1;
      }
    },
  });
  (bar as cliProgress.SingleBar | null)?.stop();
  return result;
}
