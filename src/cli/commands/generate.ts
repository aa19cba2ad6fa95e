import { defineCommand } from "citty";
import cliProgress from "cli-progress";
import { CONVERSATION_STATUSES, TIERS, type ConversationStatus, type Tier } from "../../lib/constants";
import { loadPriceOverrides } from "../../core/cost/prices";
import { loadRetryPolicy } from "../../core/generation/retry-policy";
import { parseBudget } from "../../core/cost/spending-limit";
import { formatEstimate } from "../../core/cost/estimate";
import { estimateSelection } from "../../core/generation/estimate-selection";
import { AppError } from "../../core/errors";
import { createRun, runGeneration, type RunResult } from "../../core/generation/run-generation";
import { describeProgress } from "../../core/generation/run-progress";
import { formatDurationMs } from "../../core/cost/estimate";
import { enqueueRunItems, startBoss } from "../../server/jobs/boss";
import { createBatchRun, runBatchGeneration } from "../../server/jobs/batch-runner";
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
  say(`Run ${run.id}: ${run.succeeded} generated, ${run.failed} failed of ${run.total} (${run.status.replace(/_/g, " ")}${run.pausedReason ? `: ${run.pausedReason.replace(/_/g, " ")}` : ""}).`);
  if (run.status === "paused") say(`  Resume it with \`brightrun runs resume ${run.id}\`${run.pausedReason === "spending_limit" ? " --budget USD (a higher limit)" : ""}.`);
  say(`Tokens: ${run.inputTokens.toLocaleString("en-US")} in, ${run.outputTokens.toLocaleString("en-US")} out. Cost: ${formatUsd(run.costUsd)}. Time: ${(result.wallMs / 1000).toFixed(1)} s.`);
  const failures = result.outcomes.filter((o) => o.status === "failed");
  for (const f of failures.slice(0, 10)) {
    say(`  ✗ ${f.conversationId}: ${f.error?.message} (${f.error?.retryable ? "retryable: run `brightrun generate --status failed`" : "permanent"})`);
  }
  if (failures.length > 10) say(`  …and ${failures.length - 10} more failures (brightrun status).`);
}

export default defineCommand({
  meta: {
    name: "generate",
    description:
      "Generate conversations: by id, by tier, by status, or --all not yet generated. The run is stored: if this process stops, the next `generate`, `worker` or web server resumes it.",
  },
  args: {
    ...commonArgs,
    tier: { type: "string", description: `Only these tiers (${TIERS.join(", ")}), comma-separated.`, valueHint: "T" },
    status: { type: "string", description: "Pick conversations in these statuses: not_generated, failed (\"Retry All Failed\").", valueHint: "S" },
    all: { type: "boolean", description: "Every conversation not generated yet." },
    concurrency: { type: "string", description: "Most conversations generated at the same time (1-64); adapts to rate limits.", default: "3", valueHint: "N" },
    estimate: { type: "boolean", description: "Print the estimate (conversations, cost, time, per tier, warnings) and stop." },
    budget: { type: "string", description: "Spending limit in USD: a call starts only if it cannot take the run over it.", valueHint: "USD" },
    batch: {
      type: "boolean",
      description: "Send the run through the provider's batch API (Anthropic Message Batches / OpenAI Batch: half price, results within 24 h); polls until done.",
    },
    wait: { type: "boolean", description: "Generate here and wait for the end (--no-wait only enqueues; needs DATABASE_URL and a `brightrun worker`).", default: true },
    provider: { type: "string", description: "anthropic, openai or simulated (default: from the environment).", valueHint: "P" },
    model: { type: "string", description: "Model name (default: the provider's default).", valueHint: "M" },
  },
  async run({ args }) {
    const ids = positionals(args);
    const tier = enumList<Tier>(args.tier, TIERS, "--tier");
    const status = enumList<ConversationStatus>(args.status, CONVERSATION_STATUSES, "--status");
    const concurrency = Number(args.concurrency);
    const budgetUsd = args.budget === undefined ? null : parseBudget(args.budget);
    const selection = selectProvider({ env: process.env, flags: { provider: args.provider, model: args.model } });
    const priceOverrides = loadPriceOverrides(process.env);
    const retryPolicy = loadRetryPolicy(process.env);
    await withDatabase({ dataDir: args["data-dir"], permission: "generate" }, async ({ handle, user }) => {
      note(describeProvider(selection));
      const runSelection = { ids, tier, status, all: args.all };
      const { estimate } = await estimateSelection({ db: handle.db, selection: runSelection, provider: selection.provider, model: selection.model, concurrency, priceOverrides });
      if (args.estimate) {
        for (const line of formatEstimate(estimate)) say(line);
        return;
      }
      if (estimate.conversations > 0) for (const line of formatEstimate(estimate)) note(`Estimate: ${line}`);
      if (budgetUsd !== null && estimate.costUsd > budgetUsd) {
        note(`The estimate ($${estimate.costUsd.toFixed(2)}) is above the $${budgetUsd.toFixed(2)} limit: the run will pause when the limit is reached.`);
      }
      if (args.batch) {
        if (!selection.provider.isLanguageModel || selection.provider.name === "simulated") {
          throw new AppError("argument_invalid", "--batch needs the anthropic or openai provider (set ANTHROPIC_API_KEY or OPENAI_API_KEY).");
        }
        if (budgetUsd !== null) {
          throw new AppError("argument_invalid", "--budget cannot be combined with --batch yet: a batch's cost is only known when the provider has answered it. Check the cost with --estimate first (batch prices are half).");
        }
        const provider = selection.provider.name as "anthropic" | "openai";
        const created = await createBatchRun({ db: handle.db, selection: runSelection, provider: selection.provider, model: selection.model, userId: user.id, concurrency, budgetUsd, estimate: estimate as unknown as Record<string, unknown> });
        if (!created.run) return printRunResult({ run: null, outcomes: [], skipped: created.skipped, wallMs: 0 });
        note(`Batch run ${created.run.id}: submitting ${created.run.total} requests; this process polls until the provider has answered them all.`);
        const started = performance.now();
        const { run } = await runBatchGeneration({
          handle,
          runId: created.run.id,
          provider,
          apiKey: (provider === "anthropic" ? process.env.ANTHROPIC_API_KEY : process.env.OPENAI_API_KEY) ?? "not-needed",
          baseURL: provider === "anthropic" ? process.env.ANTHROPIC_BASE_URL : process.env.OPENAI_BASE_URL,
          model: selection.model,
          userId: user.id,
          priceOverrides,
          log: note,
        });
        printRunResult({ run, outcomes: [], skipped: created.skipped, wallMs: performance.now() - started });
        if (run && run.failed > 0) process.exitCode = 2;
        return;
      }
      if (!args.wait) {
        if (handle.kind === "pglite") {
          throw new AppError("argument_invalid", "--no-wait needs DATABASE_URL: with the embedded database no other process can run the jobs. Leave --no-wait off to generate here.");
        }
        const created = await createRun({ db: handle.db, selection: runSelection, provider: selection.provider, model: selection.model, userId: user.id, concurrency, budgetUsd, estimate: estimate as unknown as Record<string, unknown> });
        if (!created.run) return printRunResult({ run: null, outcomes: [], skipped: created.skipped, wallMs: 0 });
        const boss = await startBoss(handle);
        await enqueueRunItems(boss, created.items);
        await boss.stop({ graceful: false, wait: true, close: false } as never);
        say(`Run ${created.run.id} queued: ${created.run.total} conversations. Follow it with \`brightrun runs show ${created.run.id}\`.`);
        return;
      }
      const result = await runGenerationWithProgress({
        run: (hooks) =>
          runGeneration({
            handle,
            selection: runSelection,
            provider: selection.provider,
            model: selection.model,
            userId: user.id,
            concurrency,
            budgetUsd,
            estimate: estimate as unknown as Record<string, unknown>,
            priceOverrides,
            retryPolicy,
            log: (line) => note(line),
            ...hooks,
          }),
      });
      printRunResult(result);
      if (result.run && (result.run.failed > 0 || result.run.status === "paused")) process.exitCode = 2;
    });
  },
});

/**
 * Runs `run` with a progress bar on a terminal (stderr), or a line every 10 % when not on one.
 * The figures come from the run's stored progress (the same source as the web's event stream).
 */
export async function runGenerationWithProgress(options: {
  run: (hooks: Pick<Parameters<typeof runGeneration>[0], "onStart" | "onProgress">) => Promise<RunResult>;
}): Promise<RunResult> {
  const interactive = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let nextMark = 0.1;
  let lastThrottle: string | null = null;
  const result = await options.run({
    onStart: ({ total }) => {
      if (interactive) {
        bar = new cliProgress.SingleBar(
          { format: "Generating [{bar}] {value}/{total} {percentage}% | {succeeded} ok, {failed} failed | {cost} | {eta_text} {throttle}", stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { succeeded: 0, failed: 0, cost: "$0.0000", eta_text: "", throttle: "" });
      } else {
        note(`Generating ${total} conversations…`);
      }
    },
    onProgress: (p) => {
      const throttle = [p.throttle?.throttled && p.throttle.reason ? p.throttle.reason : "", p.spendingAlert ?? ""].filter(Boolean).join(" · ");
      if (bar) {
        bar.update(p.done, {
          succeeded: p.succeeded,
          failed: p.failed,
          cost: formatUsd(p.spentUsd),
          eta_text: p.remainingMs !== null && !p.finished ? `~${formatDurationMs(p.remainingMs)} left` : "",
          throttle,
        });
        return;
      }
      if (throttle && throttle !== lastThrottle) note(`  ${throttle}`);
      lastThrottle = throttle || null;
      if (p.total && (p.done / p.total >= nextMark || (p.finished && p.done === p.total && nextMark <= 1))) {
        note(`  ${describeProgress(p)}`);
        while (nextMark <= p.done / p.total) nextMark += 0.1;
      }
    },
  });
  (bar as cliProgress.SingleBar | null)?.stop();
  return result;
}
