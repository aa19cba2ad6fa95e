import { defineCommand } from "citty";
import cliProgress from "cli-progress";
import { CONVERSATION_STATUSES, TIERS, type ConversationStatus, type Tier } from "../../lib/constants";
import { PAUSE_REASON_LABELS, RUN_STATUS_LABELS } from "../../lib/run-states";
import { parseBudget } from "../../core/cost/spending-limit";
import { formatDurationMs, formatEstimate } from "../../core/cost/estimate";
import { estimateSelection } from "../../core/generation/estimate-selection";
import { AppError } from "../../core/errors";
import type { Database } from "../../server/db/client";
import { engineSettingsWithSettings, runDefaultsForModel, selectProviderWithSettings } from "../../server/settings/model-settings";
import type { ProviderSelection } from "../../core/llm/select-provider";
import { describeJudgeSetting, parseJudgeSetting, resolveJudgeModel, type JudgeSetting } from "../../core/quality/judge/judge-setting";
import { rateLimitsFromFlags } from "../../server/runs/rate-limit-setting";
import { describeProgress } from "../../server/runs/run-progress";
import { runGeneration, type RunResult } from "../../server/runs/run-generation";
import { startRun, type StartRunInput } from "../../server/runs/run-machine";
import { commonArgs, formatUsd, listArg, note, onInterrupt, positionals, say, setExitCode, stderrIsTerminal, withWorkspace, type CommandEnvironment } from "../context";
import { describeProvider } from "../provider-line";

/** Rate-limit flags shared by `generate` and `runs resume`. */
export const rateLimitArgs = {
  rpm: { type: "string", description: "Requests per minute you allow (else learned from the provider's headers, or none).", valueHint: "N" },
  itpm: { type: "string", description: "Input tokens per minute you allow.", valueHint: "N" },
  otpm: { type: "string", description: "Output tokens per minute you allow.", valueHint: "N" },
  tpm: { type: "string", description: "Input + output tokens per minute you allow (OpenAI's TPM).", valueHint: "N" },
} as const;

/** Validates enum list flags ("--tier template,scenario"). */
export function enumList<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T[] | undefined {
  const items = listArg(value);
  if (!items) return undefined;
  const bad = items.filter((i) => !allowed.includes(i as T));
  if (bad.length) throw new AppError("argument_invalid", `${flag} accepts ${allowed.join(", ")}; "${bad.join(", ")}" is not one of them.`);
  return items as T[];
}

/**
 * The judge model of a `generate` run: `--judge` ("" = the generation model, or a model name),
 * `--no-judge` (off), else the BRIGHTRUN_JUDGE setting. Prints which judge (if any) will run.
 * @returns the judge model, or null for none
 * @throws AppError "argument_invalid" when --judge is asked of the simulated provider or with --batch
 */
export function chooseRunJudge({
  flag,
  setting,
  selection,
  batch,
}: {
  flag: string | boolean | undefined;
  setting: JudgeSetting;
  selection: ProviderSelection;
  batch: boolean;
}): string | null {
  const fromFlag = flag !== undefined;
  const chosen: JudgeSetting = flag === false ? { mode: "off" } : typeof flag === "string" ? (flag.trim() === "" ? { mode: "same" } : parseJudgeSetting(flag, "--judge")) : setting;
  const source = flag === false ? "--no-judge" : fromFlag ? "--judge" : setting.mode === "off" ? "default" : "BRIGHTRUN_JUDGE";
  const model = resolveJudgeModel(chosen, selection.model);
  if (!model) return null;
  if (!selection.provider.isLanguageModel) {
    if (fromFlag) throw new AppError("argument_invalid", "--judge needs a language model: the simulated provider cannot judge. Set ANTHROPIC_API_KEY or OPENAI_API_KEY (or OPENAI_BASE_URL).");
    note("BRIGHTRUN_JUDGE is set, but the simulated provider is not a language model and cannot judge: this run is not judged.");
    return null;
  }
  if (batch) {
    if (fromFlag) throw new AppError("argument_invalid", "--judge cannot be used with --batch yet: generate in batch, then judge with `brightrun judge`.");
    note("BRIGHTRUN_JUDGE is set, but batch runs are not judged yet: judge their conversations afterwards with `brightrun judge`.");
    return null;
  }
  note(describeJudgeSetting(chosen, selection.model, source));
  return model;
}

/** Prints what a run did. */
export function printRunResult(result: RunResult): void {
  const reasons = new Map<string, string[]>();
  for (const s of result.skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), s.conversationId]);
  for (const [reason, ids] of reasons) note(`Skipped ${ids.slice(0, 8).join(", ")}${ids.length > 8 ? ` and ${ids.length - 8} more` : ""}: ${reason}.`);
  for (const adopted of result.adopted) {
    say(`Run ${adopted.id} (started earlier; its conversations were waiting): ${adopted.succeeded} generated, ${adopted.failed} failed of ${adopted.total} (${RUN_STATUS_LABELS[adopted.status].toLowerCase()}).`);
  }
  if (!result.run) {
    if (!result.adopted.length) say("Nothing to generate: every selected conversation is already generated, reviewed, waiting in another run, or a seed.");
    return;
  }
  const run = result.run;
  say(`Run ${run.id}: ${run.succeeded} generated, ${run.failed} failed of ${run.total} (${RUN_STATUS_LABELS[run.status].toLowerCase()}${run.pausedReason ? `: ${PAUSE_REASON_LABELS[run.pausedReason]}` : ""}).`);
  if (run.status === "paused") say(`  Resume it with \`brightrun runs resume ${run.id}\`${run.pausedReason === "spending_limit" ? " --budget USD (a higher limit)" : ""}.`);
  say(`Tokens: ${run.inputTokens.toLocaleString("en-US")} in, ${run.outputTokens.toLocaleString("en-US")} out. Cost: ${formatUsd(run.costUsd)}. Time: ${(result.wallMs / 1000).toFixed(1)} s.`);
  const failures = result.outcomes.filter((o) => o.status === "failed");
  for (const f of failures.slice(0, 10)) {
    say(`  ✗ ${f.conversationId}: ${f.error?.message} (${f.error?.retryable ? "retryable: run \`brightrun generate --status failed\`" : "permanent"})`);
  }
  if (failures.length > 10) say(`  …and ${failures.length - 10} more failures (brightrun status).`);
}

/**
 * The provider of each run this process's worker takes: the command's own selection for its run,
 * else the run's provider and model with keys from the environment or the Settings page (an adopted
 * run may use another model).
 */
export function providerForRuns(
  db: Database,
  selection: ProviderSelection,
): (run: { provider: string; model: string; workspaceId: string }) => ProviderSelection | Promise<ProviderSelection> {
  return (run) => (run.provider === selection.provider.name && run.model === selection.model ? selection : selectProviderWithSettings(db, run.workspaceId, { flags: { provider: run.provider, model: run.model } }));
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
    concurrency: { type: "string", description: "Requests to the model in flight at the same time for this run (1-64; default $BRIGHTRUN_CONCURRENCY or 3). Cut in half on 429/529/503, grown back on success.", valueHint: "N" },
    ...rateLimitArgs,
    estimate: { type: "boolean", description: "Print the estimate (conversations, cost, time, per tier, warnings) and stop." },
    budget: { type: "string", description: "Spending limit in USD: a call (or a batch) starts only if it cannot take the run over it.", valueHint: "USD" },
    batch: {
      type: "boolean",
      description: "Send the run through the provider's batch API (Anthropic Message Batches / OpenAI Batch: half price, results within 24 h); polls until done.",
    },
    wait: { type: "boolean", description: "Generate here and wait for the end (--no-wait only queues the run for a `brightrun worker`; needs DATABASE_URL).", default: true },
    provider: { type: "string", description: "anthropic, openai or simulated (default: from the environment).", valueHint: "P" },
    model: { type: "string", description: "Model name (default: the provider's default).", valueHint: "M" },
    judge: {
      type: "string",
      description:
        "Judge each conversation after generating it (docs/quality.md): --judge (the generation model judges) or --judge MODEL (a model on the same provider). --no-judge turns BRIGHTRUN_JUDGE off for this run. Default: $BRIGHTRUN_JUDGE, else off.",
      valueHint: "MODEL",
    },
  },
  async run({ args }) {
    const ids = positionals(args);
    const tier = enumList<Tier>(args.tier, TIERS, "--tier");
    const status = enumList<ConversationStatus>(args.status, CONVERSATION_STATUSES, "--status");
    const budgetUsd = args.budget === undefined ? null : parseBudget(args.budget);
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "generate" }, async ({ handle, user, settings, worker, workspace }) => {
      // Flags, then the environment, then the Settings page (the web app's), as the web does.
      const selection = await selectProviderWithSettings(handle.db, workspace.id, { flags: { provider: args.provider, model: args.model } });
      const defaults = await runDefaultsForModel(handle.db, workspace.id, settings, selection.model);
      const concurrency = args.concurrency === undefined ? defaults.concurrency : Number(args.concurrency);
      const rateLimits = rateLimitsFromFlags(args, defaults.rateLimits);
      note(describeProvider(selection));
      const judgeModel = chooseRunJudge({ flag: args.judge as string | boolean | undefined, setting: settings.judge, selection, batch: Boolean(args.batch) });
      const runSelection = { ids, tier, status, all: args.all };
      const { estimate } = await estimateSelection({
        db: handle.db,
        workspaceId: workspace.id,
        selection: runSelection,
        provider: selection.provider,
        model: selection.model,
        concurrency,
        priceOverrides: (await engineSettingsWithSettings(handle.db, workspace.id, settings)).priceOverrides,
        judgeModel,
      });
      if (args.estimate) {
        for (const line of formatEstimate(estimate)) say(line);
        return;
      }
      if (estimate.conversations > 0) for (const line of formatEstimate(estimate)) note(`Estimate: ${line}`);
      if (budgetUsd !== null && estimate.costUsd > budgetUsd) {
        note(`The estimate ($${estimate.costUsd.toFixed(2)}) is above the $${budgetUsd.toFixed(2)} limit: the run will pause when the limit is reached.`);
      }
      if (args.batch && (!selection.provider.isLanguageModel || selection.provider.name === "simulated")) {
        throw new AppError("argument_invalid", "--batch needs the anthropic or openai provider (set ANTHROPIC_API_KEY or OPENAI_API_KEY).");
      }
      const input = {
        workspaceId: workspace.id,
        selection: runSelection,
        kind: args.batch ? ("batch" as const) : ("live" as const),
        provider: selection.provider.name,
        model: selection.model,
        userId: user.id,
        concurrency,
        budgetUsd,
        estimate: estimate as unknown as Record<string, unknown>,
        rateLimits,
        judgeModel,
      };
      if (!args.wait) {
        if (handle.kind === "pglite" && !worker) {
          throw new AppError("argument_invalid", "--no-wait needs DATABASE_URL: with the embedded database no other process can run the jobs. Leave --no-wait off to generate here.");
        }
        const created = await startRun({ db: handle.db, input });
        if (!created.run) return printRunResult({ run: null, adopted: [], outcomes: [], judgeOutcomes: [], skipped: created.skipped, wallMs: 0 });
        say(`Run ${created.run.id} queued: ${created.run.total} conversations. Follow it with \`brightrun runs show ${created.run.id}\`.`);
        return;
      }
      if (args.batch) note("Batch mode: this process submits the batch and polls it until the provider has answered every request (Ctrl-C stops polling; any worker resumes it).");
      printRunResult(await runHereWithProgress({ ctx: { handle, user, settings, worker }, input, selection }));
    });
  },
});

/**
 * `brightrun generate` and `brightrun judge` without --no-wait: starts the run and follows it to
 * its end here (this process's worker, or the server's for a forwarded command) with the progress
 * bar; exit code 2 when conversations failed or the run paused.
 */
export async function runHereWithProgress({
  ctx,
  input,
  selection,
  verb,
}: {
  ctx: Pick<CommandEnvironment, "handle" | "user" | "settings" | "worker">;
  input: StartRunInput;
  selection: ProviderSelection;
  verb?: string;
}): Promise<RunResult> {
  const result = await runGenerationWithProgress({
    verb,
    run: (hooks) =>
      runGeneration({
        handle: ctx.handle,
        userId: ctx.user.id,
        settings: ctx.settings,
        input,
        providerFor: providerForRuns(ctx.handle.db, selection),
        log: (line) => note(line),
        worker: ctx.worker ?? undefined,
        ...hooks,
      }),
  });
  if (result.run && (result.run.failed > 0 || result.run.status === "paused")) setExitCode(2);
  return result;
}

/**
 * Runs `run` with a progress bar on a terminal (stderr), or a line every 10 % when not on one.
 * The figures come from the run's stored progress (the same source as the web's event stream).
 */
export async function runGenerationWithProgress(options: {
  run: (hooks: Pick<Parameters<typeof runGeneration>[0], "onStart" | "onProgress" | "signal">) => Promise<RunResult>;
  /** The word on the bar: "Generating" (default) or "Judging". */
  verb?: string;
}): Promise<RunResult> {
  const verb = options.verb ?? "Generating";
  const interactive = stderrIsTerminal();
  let bar: cliProgress.SingleBar | null = null;
  let nextMark = 0.1;
  let lastThrottle: string | null = null;
  // Ctrl-C: conversations in flight go back to the queue (not left "generating"); the run stays open.
  const controller = new AbortController();
  const interrupted = () => {
    note("\nStopping: conversations in flight go back to the queue. Run the same command again (or `brightrun runs resume ID`) to continue.");
    controller.abort();
  };
  const stopListening = onInterrupt(interrupted);
  const result = await options.run({
    signal: controller.signal,
    onStart: ({ total }) => {
      if (interactive) {
        bar = new cliProgress.SingleBar(
          { format: `${verb} [{bar}] {value}/{total} {percentage}% | {succeeded} ok, {failed} failed | {cost} | {eta_text} {throttle}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { succeeded: 0, failed: 0, cost: "$0.0000", eta_text: "", throttle: "" });
      } else {
        note(`${verb} ${total} conversations…`);
      }
    },
    onProgress: (p) => {
      const throttle = [p.throttle?.pacedBy && !p.finished ? `paced by ${p.throttle.pacedBy}` : "", p.spendingAlert ?? ""].filter(Boolean).join(" · ");
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
  stopListening();
  (bar as cliProgress.SingleBar | null)?.stop();
  return result;
}
