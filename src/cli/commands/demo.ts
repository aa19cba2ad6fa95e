import path from "node:path";
import { defineCommand } from "citty";
import { TIER_LABELS, TIERS } from "../../lib/constants";
import { writeExport } from "../../core/export/write-export";
import { importPath } from "../../core/import/import-workspace";
import { selectProviderWithSettings } from "../../server/settings/model-settings";
import { createPlan, splitTotal } from "../../core/planning/create-plan";
import { reviewConversations } from "../../core/review/review-conversations";
import { getConversationTotals } from "../../server/db/queries/conversations";
import { runGeneration } from "../../server/runs/run-generation";
import { commonArgs, formatUsd, note, say, withDatabase } from "../context";
import { ensureSampleWorkspace, resolveCommandWorkspace } from "../../server/workspaces";
import { describeProvider } from "../provider-line";
import { SYSTEM_VERSION } from "../version";
import { printRunResult, runGenerationWithProgress } from "./generate";
import { describeImport, EXAMPLES_DIR } from "./init";
import { printReviewResult } from "./review";
import { describeTotals } from "./status";

/** The main job on the embedded defaults; safe to run again (nothing is duplicated). */
export default defineCommand({
  meta: {
    name: "demo",
    description:
      "The whole pipeline on the sample workspace: init → plan 90 → generate all → approve scores ≥ 8 → export openai → summary. Running it again duplicates nothing.",
  },
  args: {
    ...commonArgs,
    total: { type: "string", description: "Conversations to plan.", default: "90", valueHint: "N" },
    concurrency: { type: "string", description: "Conversations generated at the same time (default $BRIGHTRUN_CONCURRENCY or 3).", valueHint: "N" },
    out: { type: "string", description: "Export folder.", default: "exports", valueHint: "DIR" },
  },
  async run({ args }) {
    const started = performance.now();
    await withDatabase({ dataDir: args["data-dir"], permission: "export" }, async ({ handle, user, settings }) => {
      const db = handle.db;
      // The sample's own workspace (created when missing), or the one named by --workspace.
      const workspace = args.workspace ? await resolveCommandWorkspace(db, { slug: args.workspace }) : (await ensureSampleWorkspace(db)).workspace;
      const workspaceId = workspace.id;
      const selection = await selectProviderWithSettings(db, workspace.id);
      say(`1/5 Database: ${handle.kind === "pglite" ? `embedded, ${handle.location}` : `PostgreSQL, ${handle.location}`}`);
      const imported = await importPath({ db, workspaceId, target: path.join(EXAMPLES_DIR, "financial-planning"), userId: user.id });
      say(`    Sample financial-planning loaded into the workspace ${workspace.slug}:`);
      for (const line of describeImport(imported)) say(`  ${line}`);

      const plan = await createPlan({ db, workspaceId, split: splitTotal(Number(args.total)) });
      say(`2/5 Plan: ${TIERS.map((t) => `${TIER_LABELS[t]} ${plan.split[t]}`).join(" / ")}; ${plan.created} new slots, ${plan.existing} already planned.`);

      say(`3/5 Generate all not generated. ${describeProvider(selection)}`);
      const result = await runGenerationWithProgress({
        run: (hooks) =>
          runGeneration({
            handle,
            userId: user.id,
            settings,
            input: {
              workspaceId: workspace.id,
              selection: { all: true },
              kind: "live",
              provider: selection.provider.name,
              model: selection.model,
              userId: user.id,
              concurrency: args.concurrency === undefined ? settings.defaultConcurrency : Number(args.concurrency),
              rateLimits: settings.rateLimits,
            },
            providerFor: () => selection,
            ...hooks,
          }),
      });
      printRunResult(result);
      if (result.outcomes.length) {
        const overhead = result.outcomes.reduce((s, o) => s + (o.durationMs - o.providerMs), 0) / result.outcomes.length;
        const model = result.outcomes.reduce((s, o) => s + o.providerMs, 0) / result.outcomes.length;
        note(`    Pipeline overhead per conversation: ${overhead.toFixed(1)} ms (model time ${model.toFixed(1)} ms).`);
      }

      say("4/5 Approve generated conversations scoring 8 or more:");
      const review = await reviewConversations({ db, workspaceId, action: "approve", minScore: 8, reviewerId: user.id, notes: "Approved by the demo: quality score ≥ 8." });
      printReviewResult(review);

      const exported = await writeExport({ db, workspaceId, format: "openai", outDir: path.resolve(args.out), userId: user.id, systemVersion: SYSTEM_VERSION });
      say(`5/5 Exported ${exported.count} approved conversations (OpenAI chat JSONL); manifest ${exported.manifestPath}`);

      const totals = await getConversationTotals({ db, workspaceId });
      say("");
      say("Summary");
      for (const line of describeTotals(totals)) say(`  ${line}`);
      say(`  Provider: ${selection.provider.isLanguageModel ? `${selection.provider.name} ${selection.model}` : "simulated (not a language model)"}. Spent this run: ${formatUsd(result.run?.costUsd ?? 0)}.`);
      say(`  Wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      say(exported.dataPath);
    });
  },
});
