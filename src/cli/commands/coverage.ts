import { defineCommand } from "citty";
import { RECOMMENDED_RANGE, type Recommendation } from "../../core/dataset-coverage/suggestions";
import { loadRecommendations } from "../../server/coverage-suggestions";
import { commonArgs, say, withWorkspace } from "../context";

/** "Anxious Investor + Fear + Portfolio Setup: 1 conversation · recommended 3–5 (plans 2)": the Coverage page's line. */
export function describeRecommendation(r: Recommendation): string {
  const count = `${r.count} ${r.count === 1 ? "conversation" : "conversations"}`;
  return `${r.persona.name} + ${r.arc.name} + ${r.topic.name}: ${count} · recommended ${r.recommended.min}–${r.recommended.max} (plans ${r.toPlan})`;
}

/**
 * `brightrun coverage recommendations [--dismissed] [--json]`: the Coverage page's recommendations
 * (issue 13 item 2, US3.2.2), from the same server function (loadRecommendations).
 */
const recommendations = defineCommand({
  meta: { name: "recommendations", description: "The top persona + emotional arc + topic combinations to generate next, as on the Coverage page." },
  args: {
    ...commonArgs,
    dismissed: { type: "boolean", description: "Also list the dismissed recommendations." },
    json: { type: "boolean", description: "Print JSON instead of text." },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const list = await loadRecommendations({ db: handle.db, workspaceId: workspace.id });
      if (args.json) {
        const shape = (r: Recommendation) => ({ key: r.key, persona: r.persona.key, emotional_arc: r.arc.key, topic: r.topic.key, count: r.count, recommended_min: r.recommended.min, recommended_max: r.recommended.max, to_plan: r.toPlan });
        say(JSON.stringify({ thin: list.thin, combinations: list.combinations, open: list.open.map(shape), ...(args.dismissed ? { dismissed: list.dismissed.map(shape) } : {}) }, null, 2));
        return;
      }
      say(`${list.thin} of ${list.combinations} persona + emotional arc + topic combinations have fewer than ${RECOMMENDED_RANGE.min} conversations (planned, generated or approved).`);
      if (list.open.length === 0) say(list.thin === 0 ? "Nothing to recommend." : "No open recommendations: the rest are dismissed (see them with --dismissed).");
      for (const r of list.open) say(`  ${describeRecommendation(r)}`);
      if (args.dismissed) {
        say(`Dismissed: ${list.dismissed.length}`);
        for (const r of list.dismissed) say(`  ${describeRecommendation(r)}`);
      }
      if (list.open.length > 0) say("Plan and generate them on the Coverage page (Generate Recommended).");
    });
  },
});

export default defineCommand({
  meta: { name: "coverage", description: "Coverage of the dataset: recommendations." },
  subCommands: { recommendations },
  default: "recommendations",
});
