/**
 * Dataset planning: turns the taxonomy, the scenario library, the edge-case categories and the
 * chunks into conversation slots across the three tiers (US8.1.1, US8.2.1, US8.3.1).
 *
 * Balance rules:
 * - tier 1 (template) is spread evenly over the enabled emotional arcs;
 * - tier 2 (scenario) takes scenarios from the library round-robin, using a scenario's own
 *   persona / arc / topic when it names them;
 * - tier 3 (edge case) takes the edge-case categories round-robin;
 * - across all slots, a persona × arc × topic combination is not used again before every
 *   combination allowed by the slot's fixed dimensions has appeared once, and at every step the
 *   least-used persona, arc, topic, intent and tone are preferred;
 * - every slot is linked to a source chunk (the scenario's chunk for tier 2; otherwise the
 *   least-used chunk that best matches the topic's key terms).
 *
 * Deterministic: the same inputs give the same plan, so slot N is stable between runs.
 */
import { DEFAULT_TIER_SPLIT, TIERS, type Tier } from "../../lib/constants";
import { AppError } from "../errors";

export interface PlanInputs {
  split?: Record<Tier, number>;
  personas: Array<{ key: string }>;
  /** Only enabled arcs are used. */
  emotionalArcs: Array<{ key: string; enabled: boolean }>;
  topics: Array<{ key: string; keyTerms: string[]; name: string }>;
  intents: Array<{ key: string }>;
  tones: Array<{ key: string }>;
  scenarios: Array<{ key: string; chunkKey: string | null; personaKey: string | null; emotionalArcKey: string | null; topicKey: string | null }>;
  edgeCaseCategories: Array<{ key: string }>;
  chunks: Array<{ key: string; keyTerms: string[]; content: string }>;
}

export interface PlannedSlot {
  /** 1-based position across the whole plan. */
  slot: number;
  tier: Tier;
  persona: string;
  emotion: string;
  topic: string;
  intent: string;
  tone: string;
  chunkKey: string;
  scenarioKey: string | null;
  edgeCaseKey: string | null;
}

type Counter = Map<string, number>;
const bump = (counter: Counter, key: string) => counter.set(key, (counter.get(key) ?? 0) + 1);
const count = (counter: Counter, key: string) => counter.get(key) ?? 0;

/** Picks the least-used key; ties go to the earliest in `keys` after a stable rotation by `offset`. */
function leastUsed(keys: string[], counter: Counter, offset = 0): string {
  let best = keys[offset % keys.length];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[(i + offset) % keys.length];
    if (count(counter, key) < count(counter, best)) best = key;
  }
  return best;
}

/**
 * Plans `split.template + split.scenario + split.edge_case` slots (default 40/35/15).
 * @throws AppError "plan_impossible" when a tier needs something the workspace lacks (no
 *   personas, no enabled arcs, no scenarios for a non-zero scenario tier, no chunks…), saying what to import.
 */
export function planConversations(inputs: PlanInputs): PlannedSlot[] {
  const split = inputs.split ?? DEFAULT_TIER_SPLIT;
  const arcs = inputs.emotionalArcs.filter((a) => a.enabled).map((a) => a.key);
  const missing: string[] = [];
  if (!inputs.personas.length) missing.push("personas");
  if (!arcs.length) missing.push("at least one enabled emotional arc");
  if (!inputs.topics.length) missing.push("topics");
  if (!inputs.intents.length) missing.push("intents");
  if (!inputs.tones.length) missing.push("tones");
  if (!inputs.chunks.length) missing.push("documents (their chunks are the source of every conversation)");
  if (split.scenario > 0 && !inputs.scenarios.length) missing.push("scenarios (or set the scenario tier to 0)");
  if (split.edge_case > 0 && !inputs.edgeCaseCategories.length) missing.push("edge-case categories (or set the edge-case tier to 0)");
  if (missing.length) {
    throw new AppError("plan_impossible", `Cannot plan the dataset yet: import ${missing.join(", ")} first (brightrun import PATH).`);
  }

  const personas = inputs.personas.map((p) => p.key);
  const topics = inputs.topics.map((t) => t.key);
  const intents = inputs.intents.map((i) => i.key);
  const tones = inputs.tones.map((t) => t.key);
  const counters = { persona: new Map(), arc: new Map(), topic: new Map(), intent: new Map(), tone: new Map(), chunk: new Map() } as Record<string, Counter>;
  const usedCombos = new Set<string>();
  const comboKey = (p: string, a: string, t: string) => `${p}|${a}|${t}`;
  const chunkMatches = rankChunksByTopic(inputs);

  /** Chooses persona × arc × topic honouring fixed dimensions, preferring unused combos and least-used values. */
  const chooseCombo = (fixed: { persona?: string | null; arc?: string | null; topic?: string | null }, arcPool: string[]) => {
    const ps = fixed.persona ? [fixed.persona] : personas;
    const as = fixed.arc ? [fixed.arc] : arcPool;
    const ts = fixed.topic ? [fixed.topic] : topics;
    let best: { p: string; a: string; t: string; cost: number } | null = null;
    let anyUnused = false;
    for (const p of ps) for (const a of as) for (const t of ts) if (!usedCombos.has(comboKey(p, a, t))) anyUnused = true;
    if (!anyUnused) for (const p of ps) for (const a of as) for (const t of ts) usedCombos.delete(comboKey(p, a, t));
    for (const p of ps) {
      for (const a of as) {
        for (const t of ts) {
          if (usedCombos.has(comboKey(p, a, t))) continue;
          // Arc balance weighs most inside a tier (tier 1 must be spread evenly over arcs).
          const cost = count(counters.persona, p) * 3 + count(counters.arc, a) * 4 + count(counters.topic, t) * 3;
          if (!best || cost < best.cost) best = { p, a, t, cost };
        }
      }
    }
    return best as { p: string; a: string; t: string };
  };

  const slots: PlannedSlot[] = [];
  const tierArcCounters: Record<Tier, Counter> = { template: new Map(), scenario: new Map(), edge_case: new Map() };
  let slotNumber = 0;
  for (const tier of TIERS) {
    for (let i = 0; i < split[tier]; i++) {
      slotNumber += 1;
      let scenario: PlanInputs["scenarios"][number] | null = null;
      let edgeCaseKey: string | null = null;
      let fixed: { persona?: string | null; arc?: string | null; topic?: string | null } = {};
      let arcPool = arcs;
      if (tier === "template") {
        // Even spread over arcs inside tier 1: only the least-used arcs of this tier are candidates.
        const min = Math.min(...arcs.map((a) => count(tierArcCounters.template, a)));
        arcPool = arcs.filter((a) => count(tierArcCounters.template, a) === min);
      } else if (tier === "scenario") {
        scenario = inputs.scenarios[i % inputs.scenarios.length];
        fixed = { persona: scenario.personaKey, arc: scenario.emotionalArcKey, topic: scenario.topicKey };
        // A scenario reused for a second round gets a different persona so slots are not copies.
        if (i >= inputs.scenarios.length) fixed.persona = null;
      } else {
        edgeCaseKey = inputs.edgeCaseCategories[i % inputs.edgeCaseCategories.length].key;
      }
      const combo = chooseCombo(fixed, arcPool);
      usedCombos.add(comboKey(combo.p, combo.a, combo.t));
      bump(counters.persona, combo.p);
      bump(counters.arc, combo.a);
      bump(counters.topic, combo.t);
      bump(tierArcCounters[tier], combo.a);
      const intent = leastUsed(intents, counters.intent, slotNumber);
      const tone = leastUsed(tones, counters.tone, slotNumber * 7);
      bump(counters.intent, intent);
      bump(counters.tone, tone);
      let chunkKey = scenario?.chunkKey ?? null;
      if (!chunkKey) {
        const candidates = chunkMatches.get(combo.t) as string[];
        chunkKey = leastUsed(candidates, counters.chunk);
      }
      bump(counters.chunk, chunkKey);
      slots.push({
        slot: slotNumber,
        tier,
        persona: combo.p,
        emotion: combo.a,
        topic: combo.t,
        intent,
        tone,
        chunkKey,
        scenarioKey: scenario?.key ?? null,
        edgeCaseKey,
      });
    }
  }
  return slots;
}

/**
 * For each topic, the chunks that best match its name and key terms (the top third, at least
 * three), best first. A chunk matches a term when its key terms or content contain it.
 */
function rankChunksByTopic(inputs: PlanInputs): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const topic of inputs.topics) {
    const terms = [...topic.keyTerms, ...topic.name.split(/\s+/)].map((t) => t.toLowerCase()).filter((t) => t.length > 3);
    const scored = inputs.chunks.map((chunk, index) => {
      const haystack = `${chunk.keyTerms.join(" ")} ${chunk.content}`.toLowerCase();
      const keyTermHits = terms.filter((t) => chunk.keyTerms.some((k) => k.toLowerCase().includes(t))).length;
      const contentHits = terms.filter((t) => haystack.includes(t)).length;
      return { key: chunk.key, score: keyTermHits * 2 + contentHits, index };
    });
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    const take = Math.max(3, Math.ceil(scored.length / 3));
    out.set(topic.key, scored.slice(0, take).map((s) => s.key));
  }
  return out;
}
