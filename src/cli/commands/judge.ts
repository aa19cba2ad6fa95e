import { defineCommand } from "citty";
import { JUDGEABLE_STATUSES, TIERS, type ConversationStatus, type Tier } from "../../lib/constants";
import { PAUSE_REASON_LABELS, RUN_STATUS_LABELS } from "../../lib/run-states";
import { parseBudget } from "../../core/cost/spending-limit";
import { formatEstimate } from "../../core/cost/estimate";
import { estimateJudgeSelection } from "../../core/generation/estimate-selection";
import { AppError } from "../../core/errors";
import { engineSettingsWithSettings, runDefaultsForModel, selectProviderWithSettings } from "../../server/settings/model-settings";
import { JUDGE_RUBRIC_VERSION } from "../../core/quality/judge/rubric";
import { rateLimitsFromFlags } from "../../server/runs/rate-limit-setting";
import type { RunResult } from "../../server/runs/run-generation";
import { startRun } from "../../server/runs/run-machine";
import { commonArgs, formatUsd, note, positionals, say, withWorkspace } from "../context";
import { describeProvider } from "../provider-line";
import { enumList, rateLimitArgs, runHereWithProgress } from "./generate";

/** Prints what a judge run did: counts, cost, the lowest verdicts and the judge's failures. */
export function printJudgeResult(result: RunResult): void {
  const reasons = new Map<string, string[]>();
  for (const s of result.skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), s.conversationId]);
  for (const [reason, ids] of reasons) note(`Skipped ${ids.slice(0, 8).join(", ")}${ids.length > 8 ? ` and ${ids.length - 8} more` : ""}: ${reason}.`);
  if (!result.run) {
    if (!result.adopted.length) say("Nothing to judge: no selected conversation is generated, approved or rejected, or each is waiting in another run.");
    return;
  }
  const run = result.run;
  say(`Run ${run.id}: ${run.succeeded} judged, ${run.failed} not judged of ${run.total} by ${run.judgeModel} (${RUN_STATUS_LABELS[run.status].toLowerCase()}${run.pausedReason ? `: ${PAUSE_REASON_LABELS[run.pausedReason]}` : ""}).`);
  if (run.status === "paused") say(`  Resume it with \`brightrun runs resume ${run.id}\`${run.pausedReason === "spending_limit" ? " --budget USD (a higher limit)" : ""}.`);
  say(`Tokens: ${run.inputTokens.toLocaleString("en-US")} in, ${run.outputTokens.toLocaleString("en-US")} out. Cost: ${formatUsd(run.costUsd)}.`);
  const judged = result.judgeOutcomes.filter((o) => o.status === "judged" && o.judgeScore !== null);
  if (judged.length) {
    const mean = judged.reduce((sum, o) => sum + (o.judgeScore as number), 0) / judged.length;
    const lowest = [...judged].sort((a, b) => (a.judgeScore as number) - (b.judgeScore as number)).slice(0, 5);
    say(`Judge scores: average ${mean.toFixed(1)}; lowest ${lowest.map((o) => `${o.conversationId} ${o.judgeScore}`).join(", ")}. The reasons are in each conversation's quality details.`);
  }
  const failures = result.judgeOutcomes.filter((o) => o.status === "failed");
  for (const f of failures.slice(0, 10)) say(`  ✗ ${f.conversationId}: ${f.error?.message}`);
  if (failures.length > 10) say(`  …and ${failures.length - 10} more not judged.`);
}

export default defineCommand({
  meta: {
    name: "judge",
    description: `Judge conversations already generated with a language model and the rubric (v${JUDGE_RUBRIC_VERSION}: arc, persona, tone, grounded in the source, helpful, safe). A stored run, like generate: progress, pause, cancel, spending limit. The verdict is stored beside the structural quality score; the conversations are not changed otherwise.`,
  },
  args: {
    ...commonArgs,
    status: { type: "string", description: `Judge conversations in these statuses (${JUDGEABLE_STATUSES.join(", ")}); default generated (by id: any of them).`, valueHint: "S" },
    tier: { type: "string", description: `Only these tiers (${TIERS.join(", ")}), comma-separated.`, valueHint: "T" },
    model: { type: "string", description: "The judge model (default: the model of BRIGHTRUN_JUDGE, else the generation model: --provider's or BRIGHTRUN_MODEL or the provider's default).", valueHint: "M" },
    provider: { type: "string", description: "anthropic or openai (default: from the environment). The simulated provider cannot judge.", valueHint: "P" },
    concurrency: { type: "string", description: "Judge calls in flight at the same time (1-64; default $BRIGHTRUN_CONCURRENCY or 3).", valueHint: "N" },
    ...rateLimitArgs,
    budget: { type: "string", description: "Spending limit in USD: a judge call starts only if it cannot take the run over it.", valueHint: "USD" },
    estimate: { type: "boolean", description: "Print the estimate (judge calls, cost, time) and stop." },
    wait: { type: "boolean", description: "Judge here and wait for the end (--no-wait only queues the run for a `brightrun worker`; needs DATABASE_URL).", default: true },
  },
  async run({ args }) {
    const ids = positionals(args);
    const status = enumList<ConversationStatus>(args.status, JUDGEABLE_STATUSES, "--status");
    const tier = enumList<Tier>(args.tier, TIERS, "--tier");
    const budgetUsd = args.budget === undefined ? null : parseBudget(args.budget);
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "generate" }, async ({ handle, user, settings, worker, workspace }) => {
      const fromSetting = settings.judge.mode === "model" ? settings.judge.model : undefined;
      const selection = await selectProviderWithSettings(handle.db, workspace.id, { flags: { provider: args.provider, model: args.model ?? fromSetting } });
      if (!selection.provider.isLanguageModel) {
        throw new AppError(
          "argument_invalid",
          "The simulated provider is not a language model, so it cannot judge. Set ANTHROPIC_API_KEY or OPENAI_API_KEY (or OPENAI_BASE_URL), choose a model on the Settings page, or name one with --provider.",
        );
      }
      note(`${describeProvider(selection)} — judging with ${selection.model}`);
      // As `brightrun generate`: the environment, then the workspace's Settings page (its limits for this model).
      const defaults = await runDefaultsForModel(handle.db, workspace.id, settings, selection.model);
      const concurrency = args.concurrency === undefined ? defaults.concurrency : Number(args.concurrency);
      const rateLimits = rateLimitsFromFlags(args, defaults.rateLimits);
      const runSelection = { ids, status, tier };
      const { estimate } = await estimateJudgeSelection({
        db: handle.db,
        workspaceId: workspace.id,
        selection: runSelection,
        provider: selection.provider,
        model: selection.model,
        concurrency,
        priceOverrides: (await engineSettingsWithSettings(handle.db, workspace.id, settings)).priceOverrides,
      });
      if (args.estimate) {
        for (const line of formatEstimate(estimate)) say(line);
        return;
      }
      if (estimate.conversations > 0) for (const line of formatEstimate(estimate)) note(`Estimate: ${line}`);
      const input = {
        workspaceId: workspace.id,
        selection: runSelection,
        kind: "live" as const,
        purpose: "judge" as const,
        provider: selection.provider.name,
        model: selection.model,
        judgeModel: selection.model,
        userId: user.id,
        concurrency,
        budgetUsd,
        estimate: estimate as unknown as Record<string, unknown>,
        rateLimits,
      };
      if (!args.wait) {
        if (handle.kind === "pglite" && !worker) throw new AppError("argument_invalid", "--no-wait needs DATABASE_URL: with the embedded database no other process can run the jobs. Leave --no-wait off to judge here.");
        const created = await startRun({ db: handle.db, input });
        if (!created.run) return printJudgeResult({ run: null, adopted: [], outcomes: [], judgeOutcomes: [], skipped: created.skipped, wallMs: 0 });
        say(`Run ${created.run.id} queued: ${created.run.total} conversations to judge. Follow it with \`brightrun runs show ${created.run.id}\`.`);
        return;
      }
      printJudgeResult(await runHereWithProgress({ ctx: { handle, user, settings, worker }, input, selection, verb: "Judging" }));
    });
  },
});
