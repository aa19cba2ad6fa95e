// Benchmark (not a test): `npm run bench:quality [-- --rounds=20]` (issue 12: "keep the score
// fast (< 5 ms CPU per conversation, benchmarked)").
//
// Scores a mixed set of conversations with the structural quality score (scoreConversation):
// the hand-written good conversations of six businesses and the defective ones derived from them
// (tests/support/quality-conversations.fixture.ts), the financial-planning sample's seed
// conversations, and 100 conversations of the simulated composer. Every conversation is scored
// `rounds` times after one warm-up pass.
//
// Prints: the language model's one-off load time, then per conversation the CPU time (user +
// system, process.cpuUsage) and wall time, mean / p50 / p95 / max, overall and per set, plus the
// machine. Run directly: node --import tsx bench/quality.ts
import { qualityInputFor } from "../src/core/generation/generate-conversation";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { composeSimulatedConversation } from "../src/core/llm/simulated-provider";
import { scoreConversation, type QualityInput } from "../src/core/quality";
import { variedGenerationContexts } from "../tests/support/generation-context.fixture";
import { GOOD_CONVERSATIONS, deriveDefectiveConversations, type FixtureConversation } from "../tests/support/quality-conversations.fixture";
import { describeMachine } from "./support";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(/^--rounds=(\d+)$/.exec(process.argv.find((arg) => arg.startsWith("--rounds=")) ?? "")?.[1] ?? 20);

function fromFixture(conversation: FixtureConversation): QualityInput {
  return { turns: conversation.turns, persona: conversation.persona, topic: conversation.topic, emotion: { name: conversation.emotion }, intent: conversation.intent, tone: conversation.tone, tier: conversation.tier };
}

const seeds = (JSON.parse(fs.readFileSync(path.join(ROOT, "examples/financial-planning/seed-conversations.json"), "utf8")) as { conversations: { turns: QualityInput["turns"]; tier: QualityInput["tier"] }[] }).conversations;
const sets: Record<string, QualityInput[]> = {
  "hand-written good": GOOD_CONVERSATIONS.map(fromFixture),
  "derived defective": GOOD_CONVERSATIONS.flatMap((good, index) => deriveDefectiveConversations(good, GOOD_CONVERSATIONS[(index + 1) % GOOD_CONVERSATIONS.length]).map(fromFixture)),
  "sample seeds": seeds.map((seed) => ({ turns: seed.turns, tier: seed.tier })),
  "simulated composer": variedGenerationContexts(100).map((context) => qualityInputFor(context, composeSimulatedConversation(context))),
};

const loadStart = performance.now();
scoreConversation({ turns: [{ role: "user", content: "Warm up the language model." }] });
const loadMs = performance.now() - loadStart;
for (const inputs of Object.values(sets)) for (const input of inputs) scoreConversation(input);

const cpuBySet: Record<string, number[]> = {};
const wallBySet: Record<string, number[]> = {};
for (let round = 0; round < rounds; round += 1) {
  for (const [name, inputs] of Object.entries(sets)) {
    for (const input of inputs) {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      scoreConversation(input);
      const wallMs = performance.now() - wall;
      const used = process.cpuUsage(cpu);
      (cpuBySet[name] ??= []).push((used.user + used.system) / 1000);
      (wallBySet[name] ??= []).push(wallMs);
    }
  }
}

function describe(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return `mean ${mean.toFixed(2)}  p50 ${at(0.5).toFixed(2)}  p95 ${at(0.95).toFixed(2)}  max ${sorted[sorted.length - 1].toFixed(2)}`;
}

const turnsPerConversation = (inputs: QualityInput[]) => (inputs.reduce((sum, input) => sum + input.turns.length, 0) / inputs.length).toFixed(1);
console.log(`Quality score benchmark: ${Object.values(sets).reduce((sum, inputs) => sum + inputs.length, 0)} conversations × ${rounds} rounds`);
console.log(`Machine: ${describeMachine()}`);
console.log(`Language model load (once per process): ${loadMs.toFixed(0)} ms`);
console.log("");
console.log("CPU ms per conversation (user + system):");
console.log(`  all sets                ${describe(Object.values(cpuBySet).flat())}`);
for (const [name, values] of Object.entries(cpuBySet)) console.log(`  ${name.padEnd(22)}  ${describe(values)}  (${sets[name].length} conversations, ${turnsPerConversation(sets[name])} turns each on average)`);
console.log("Wall ms per conversation:");
console.log(`  all sets                ${describe(Object.values(wallBySet).flat())}`);
