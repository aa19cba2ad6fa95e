// Benchmark (not a test): `npm run bench:dataset-checks [-- --count=10000 --families=llama-3,gpt-4o-mini]`
// (issue 12, item 4: the dataset checks must stay usable for 10,000 conversations).
//
// Builds `count` conversations with the simulated composer (tests/support/generation-context.fixture.ts
// contexts, composeSimulatedConversation: formulaic text, so many share phrases, which is the hard case
// for the LSH buckets), plants 2 % exact copies and 2 % near-duplicates (one word in sixty changed), then
// times checkDataset: duplicates (threshold 0.8), a 10 % seeded split, and for each family the token
// counts and chat-template render of every record. A family's tokenizer is loaded first (on one record)
// and that load time printed apart. Prints the machine, wall times in ms, and what was found.
import { checkDataset, TARGET_FAMILIES, type TargetFamily } from "../src/core/export/dataset-checks";
import { composeSimulatedConversation } from "../src/core/llm/simulated-provider";
import type { ExportConversation } from "../src/core/types";
import { variedGenerationContexts } from "../tests/support/generation-context.fixture";
import { describeMachine } from "./support";

const argument = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const count = Number(argument("count") ?? 10000);
const families = (argument("families")?.split(",").filter(Boolean) ?? [...TARGET_FAMILIES]) as TargetFamily[];

const base: ExportConversation[] = variedGenerationContexts(count).map((context, index) => ({
  conversationId: context.conversationId,
  title: null,
  tier: context.tier,
  status: "approved",
  isSeed: false,
  persona: context.persona.name,
  emotion: context.emotionalArc.name,
  topic: context.topic.name,
  intent: context.intent.name,
  tone: context.tone.name,
  sourceCategory: null,
  sourceDocument: null,
  chunkKey: context.chunk?.key ?? null,
  qualityScore: 5 + (index % 50) / 10,
  systemPrompt: context.trainingSystemPrompt,
  turns: composeSimulatedConversation(context),
  provider: "simulated",
  model: null,
  createdAt: new Date(0),
  generatedAt: null,
  reviewedAt: null,
  reviewerId: null,
  reviewerNotes: null,
  metadata: {},
}));
const planted = Math.round(count * 0.02);
for (let index = 0; index < planted; index += 1) {
  const exact = base[(index * 37) % base.length];
  base[base.length - 1 - index] = { ...exact, conversationId: base[base.length - 1 - index].conversationId };
  const near = base[(index * 53 + 11) % base.length];
  const target = base.length - 1 - planted - index;
  let position = 0;
  base[target] = {
    ...near,
    conversationId: base[target].conversationId,
    turns: near.turns.map((turn) => ({ ...turn, content: turn.content.split(" ").map((word) => (++position % 60 === 0 ? "changed" : word)).join(" ") })),
  };
}

const words = base.reduce((sum, conversation) => sum + conversation.turns.reduce((inner, turn) => inner + turn.content.split(/\s+/).length, 0), 0);
console.log(`Dataset checks benchmark: ${count} conversations (${(words / count).toFixed(0)} words and ${(base.reduce((sum, c) => sum + c.turns.length, 0) / count).toFixed(1)} turns each on average), ${planted} exact copies and ${planted} near-duplicates planted`);
console.log(`Machine: ${describeMachine()}`);

const plain = await checkDataset(base, { duplicates: {}, split: { validationPercent: 10, seed: "bench" } });
console.log(
  `duplicates + split: duplicates ${plain.timings.duplicatesMs.toFixed(0)} ms (${plain.duplicates!.clusters.length} clusters, ${plain.duplicates!.dropped.length} dropped, bands × rows ${plain.duplicates!.settings.bands} × ${plain.duplicates!.settings.rows}), split ${plain.timings.splitMs.toFixed(0)} ms (${plain.summary.train} train / ${plain.summary.validation} validation)`,
);
for (const family of families) {
  const rssBefore = process.memoryUsage().rss;
  const load = await checkDataset(base.slice(0, 1), { duplicates: false, target: { family } });
  const rssLoaded = process.memoryUsage().rss;
  const report = await checkDataset(base, { duplicates: false, target: { family } });
  const stats = report.tokens!.stats;
  console.log(
    `${family.padEnd(15)} load ${load.timings.targetMs.toFixed(0).padStart(5)} ms (rss +${((rssLoaded - rssBefore) / 2 ** 20).toFixed(0)} MB); ` +
      `${count} records ${report.timings.targetMs.toFixed(0).padStart(6)} ms = ${(report.timings.targetMs / count).toFixed(2)} ms per record ` +
      `(tokens per record mean ${stats.mean}, p95 ${stats.p95}, max ${stats.max}; counted from ${report.tokens!.records[0].countedFrom}; ` +
      `render failures ${report.templateRender!.available ? report.templateRender!.failed : "n/a"})`,
  );
}
