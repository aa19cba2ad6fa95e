import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { formatDurationMs } from "../../core/cost/estimate";
import { PAUSE_REASON_LABELS, RUN_STATUS_LABELS } from "../../lib/run-states";
import { listGenerationRuns } from "../../server/db/queries/run-reports";
import { cancelGenerationRun, pauseGenerationRun, resumeGenerationRun } from "../../server/runs/run-control";
import { driveRuns } from "../../server/runs/run-generation";
import { describeProgress, getRunProgress } from "../../server/runs/run-progress";
import { formatRunReport, loadRunReport, runReportToCsv } from "../../core/generation/run-report";
import { commonArgs, formatUsd, note, say, withDatabase, withWorkspace } from "../context";
import { parseBudget } from "../../core/cost/spending-limit";

const idArg = { id: { type: "positional", description: "Run id (from `brightrun runs`).", required: true } } as const;

const list = defineCommand({
  meta: { name: "list", description: "Generation runs, newest first." },
  args: { ...commonArgs, limit: { type: "string", description: "How many.", default: "20", valueHint: "N" } },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const runs = await listGenerationRuns({ db: handle.db, workspaceId: workspace.id, limit: Number(args.limit) || 20 });
      if (!runs.length) return say("No generation runs yet. Start one with `brightrun generate --all`.");
      for (const r of runs) {
        say(
          `${r.id}  ${r.createdAt.toISOString().slice(0, 16).replace("T", " ")}  ${RUN_STATUS_LABELS[r.status].padEnd(23)} ${(r.purpose === "judge" ? "judge" : r.kind).padEnd(6)} conc. ${String(r.concurrency).padEnd(3)} ${r.succeeded}/${r.total} ok, ${r.failed} failed  ${formatUsd(r.costUsd)}  ${r.provider}${r.provider === "simulated" ? " (not a language model)" : ` ${r.model}`}${r.purpose === "generate" && r.judgeModel ? `, judged by ${r.judgeModel}` : ""}`,
        );
      }
    });
  },
});

const show = defineCommand({
  meta: { name: "show", description: "A run's progress and, after it, actual vs estimated cost by tier, min / avg / max per conversation, tokens (US13.2.1)." },
  args: {
    ...commonArgs,
    ...idArg,
    csv: { type: "boolean", description: "Print one CSV row per conversation instead (conversation_id, tier, status, attempts, tokens, cost_usd, quality_score)." },
  },
  async run({ args }) {
    await withDatabase({ dataDir: args["data-dir"], permission: "read" }, async ({ handle }) => {
      if (args.csv) {
        process.stdout.write(runReportToCsv(await loadRunReport({ db: handle.db, runId: args.id })));
        return;
      }
      const p = await getRunProgress({ db: handle.db, runId: args.id });
      say(`Run ${p.runId}: ${RUN_STATUS_LABELS[p.status].toLowerCase()}${p.pausedReason ? ` (${PAUSE_REASON_LABELS[p.pausedReason]})` : ""}${p.cancelRequested && p.status !== "cancelled" ? " (cancelling)" : ""}; ${p.purpose === "judge" ? `judge run (${p.judgeModel})` : p.judgeModel ? `${p.kind}, judged by ${p.judgeModel}` : p.kind}, concurrency ${p.concurrency}`);
      say(`  ${describeProgress(p)}`);
      say(`  provider ${p.provider}${p.provider === "simulated" ? " (not a language model)" : `, model ${p.model}`}; tokens ${p.inputTokens.toLocaleString("en-US")} in, ${p.outputTokens.toLocaleString("en-US")} out; elapsed ${formatDurationMs(p.elapsedMs)}`);
      for (const c of p.current) say(`  ${p.purpose === "judge" ? "judging" : "generating"} ${c.conversationId}: ${c.persona} + ${c.emotion} + ${c.topic}`);
      for (const line of formatRunReport(await loadRunReport({ db: handle.db, runId: args.id }))) say(`  ${line}`);
    });
  },
});

const cancel = defineCommand({
  meta: { name: "cancel", description: "Stop a run midway: queued conversations do not start, in-flight calls are aborted and go back to not generated." },
  args: { ...commonArgs, ...idArg },
  async run({ args }) {
    await withDatabase({ dataDir: args["data-dir"], permission: "generate" }, async ({ handle }) => {
      const run = await cancelGenerationRun({ handle, runId: args.id });
      say(run.status === "cancelled" ? `Run ${run.id} cancelled.` : `Run ${run.id}: cancel requested; workers are stopping its conversations in flight.`);
    });
  },
});

const pause = defineCommand({
  meta: { name: "pause", description: "Pause a run: nothing new starts; in-flight conversations finish." },
  args: { ...commonArgs, ...idArg },
  async run({ args }) {
    await withDatabase({ dataDir: args["data-dir"], permission: "generate" }, async ({ handle }) => {
      await pauseGenerationRun({ handle, runId: args.id });
      say(`Run ${args.id} paused. Resume it with \`brightrun runs resume ${args.id}\`.`);
    });
  },
});

const resume = defineCommand({
  meta: { name: "resume", description: "Resume a paused run (optionally with a new spending limit), or one interrupted by a crash, and generate it to the end here." },
  args: {
    ...commonArgs,
    ...idArg,
    budget: { type: "string", description: "New spending limit in USD.", valueHint: "USD" },
    wait: { type: "boolean", description: "Generate here until the run ends (--no-wait leaves it to workers; needs DATABASE_URL).", default: true },
  },
  async run({ args }) {
    const budgetUsd = args.budget === undefined ? undefined : parseBudget(args.budget);
    await withDatabase({ dataDir: args["data-dir"], permission: "generate" }, async ({ handle, user, settings }) => {
      if (!args.wait && handle.kind === "pglite") throw new AppError("argument_invalid", "--no-wait needs DATABASE_URL and a running `brightrun worker`.");
      const run = await resumeGenerationRun({ handle, runId: args.id, budgetUsd });
      if (!args.wait) return say(`Run ${run.id} resumed; workers will pick it up.`);
      const progress = await driveRuns({ handle, runIds: [run.id], userId: user.id, settings, log: note });
      say(`Run ${run.id}: ${describeProgress(progress)}`);
    });
  },
});

export default defineCommand({
  meta: { name: "runs", description: "Generation runs: list, show, cancel, pause, resume." },
  subCommands: { list, show, cancel, pause, resume },
  default: "list",
});
