/**
 * Dataset planning: turns the taxonomy, the scenario library, the edge-case categories and the
 * chunks into conversation slots across the three tiers (US8.1.1, US8.1.2, US8.2.1, US8.3.1,
 * US10.1.2). Pure: the caller (create-plan.ts) reads the database and stores the slots.
 *
 * Balance rules:
 * - tier 1 (template) follows the arc configuration: the percentage per enabled arc (even when
 *   none is set), turned into counts by largest remainder (allocate.ts, the same function the
 *   planning page's preview uses), counting the tier's slots already planned;
 * - tier 2 (scenario) takes the least-used scenario of the library (round-robin on a fresh plan),
 *   using a scenario's own persona / arc / topic when it names them (its persona only the first time);
 * - tier 3 (edge case) takes the least-used edge-case category (round-robin on a fresh plan);
 * - across all slots, a persona × arc × topic combination is not used again before every
 *   combination allowed by the slot's fixed dimensions has appeared once, and at every step the
 *   least-used persona, arc, topic, intent, tone and outcome are preferred;
 * - every slot is linked to a source chunk: the scenario's chunk for tier 2; otherwise the
 *   least-used chunk that best matches the topic's key terms — among the document categories'
 *   chunks in proportion to their weights when category weighting is on, and only chunks of
 *   "Complete Systems" documents when that is asked for;
 * - slots already planned in the workspace (`existing`) count as used, so planning again or
 *   filling missing combinations continues the balance instead of starting over (seeds do not
 *   count for balance, but they do cover combinations for Fill missing combinations).
 *
 * Archived entries and disabled arcs or personas must be left out by the caller (create-plan.ts).
 * Deterministic: the same inputs give the same plan.
 */
import { DEFAULT_TIER_SPLIT, TIERS, type Tier } from "../../lib/constants";
import { AppError } from "../errors";
import { allocateByLargestRemainder, effectiveArcPercentages } from "./allocate";

/** The document category "Generate from Complete Systems only" keeps (compared without case). */
export const COMPLETE_SYSTEMS_CATEGORY = "Complete Systems";

/** At most this many slots are added by one "Fill missing combinations". */
export const MAX_FILL_SLOTS = 100;

/** A conversation already in the workspace, as the planner counts it. */
export interface ExistingSlot {
  tier: Tier;
  persona: string;
  emotion: string;
  topic: string;
  intent: string;
  tone: string;
  outcome: string | null;
  chunkKey: string | null;
  scenarioKey: string | null;
  edgeCaseKey: string | null;
  /** False for seeds and imported conversations (no plan slot): they count for balance, not toward tier 1's arc targets. Default true. */
  planned?: boolean;
}

/** Where the user adds what a plan lacks (the workspace's pages), named in the plan_impossible message. */
export interface PlanPages {
  personas: string;
  emotionalArcs: string;
  topics: string;
  intents: string;
  tones: string;
  edgeCaseCategories: string;
  scenarios: string;
  documents: string;
}

export interface PlanInputs {
  /** New slots to plan per tier (default 40/35/15). */
  split?: Record<Tier, number>;
  personas: Array<{ key: string }>;
  /** Only enabled arcs are used. */
  emotionalArcs: Array<{ key: string; enabled: boolean }>;
  topics: Array<{ key: string; keyTerms: string[]; name: string }>;
  intents: Array<{ key: string }>;
  tones: Array<{ key: string }>;
  /** How conversations end; none = slots without an outcome. */
  outcomes?: Array<{ key: string }>;
  scenarios: Array<{ key: string; chunkKey: string | null; personaKey: string | null; emotionalArcKey: string | null; topicKey: string | null }>;
  edgeCaseCategories: Array<{ key: string }>;
  /** `category`: the chunk's document category (weighting and Complete Systems only need it). */
  chunks: Array<{ key: string; keyTerms: string[]; content: string; category?: string }>;
  /** Percent per arc key for tier 1 (workspaces.arc_distribution); null/absent = even over the enabled arcs. */
  arcDistribution?: Record<string, number> | null;
  /** Weight ≥ 0 per document category (absent = 1; 0 = never chosen for tiers 1 and 3). */
  categoryWeights?: Record<string, number>;
  /** Only chunks of "Complete Systems" documents (and scenarios linked to them, or to no chunk). */
  completeSystemsOnly?: boolean;
  /** Planned conversations already in the workspace: counted as used. */
  existing?: ExistingSlot[];
  /** Every conversation's persona × arc × topic (seeds included), for Fill missing combinations; default `existing`. */
  covered?: Array<Pick<ExistingSlot, "persona" | "emotion" | "topic">>;
  /** The workspace's pages, for the "cannot plan" message. */
  pages?: PlanPages;
}

export interface PlannedSlot {
  /** 1-based position among the slots planned now. */
  slot: number;
  tier: Tier;
  persona: string;
  emotion: string;
  topic: string;
  intent: string;
  tone: string;
  /** Outcome key, null when the workspace has no outcomes. */
  outcome: string | null;
  chunkKey: string;
  scenarioKey: string | null;
  edgeCaseKey: string | null;
}

/** A persona × arc × topic combination. */
export interface Combination {
  persona: string;
  arc: string;
  topic: string;
}

/**
 * A slot asked for with pinned dimensions (the Coverage page's recommendations and edge-case
 * suggestions): persona and arc always; the topic, or null for the least-used topic; for an
 * edge-case slot, its edge-case category.
 */
export interface PinnedSlot {
  tier: "template" | "edge_case";
  persona: string;
  arc: string;
  topic: string | null;
  /** Required for tier "edge_case"; ignored for "template". */
  edgeCaseKey?: string | null;
}

type Counter = Map<string, number>;
const bump = (counter: Counter, key: string) => counter.set(key, (counter.get(key) ?? 0) + 1);
const count = (counter: Counter, key: string) => counter.get(key) ?? 0;
const comboKey = (p: string, a: string, t: string) => `${p}|${a}|${t}`;
const sameCategory = (a: string | undefined, b: string) => (a ?? "").trim().toLowerCase() === b.trim().toLowerCase();

/** Picks the least-used key; ties go to the earliest in `keys` after a stable rotation by `offset`. */
function leastUsed(keys: string[], counter: Counter, offset = 0): string {
  let best = keys[offset % keys.length];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[(i + offset) % keys.length];
    if (count(counter, key) < count(counter, best)) best = key;
  }
  return best;
}

/** The chunks the plan may use: every chunk, or only Complete Systems ones. */
function allowedChunks(inputs: PlanInputs) {
  return inputs.completeSystemsOnly ? inputs.chunks.filter((c) => sameCategory(c.category, COMPLETE_SYSTEMS_CATEGORY)) : inputs.chunks;
}

/** The scenarios the plan may use: with Complete Systems only, those linked to an allowed chunk or to none. */
function allowedScenarios(inputs: PlanInputs, chunks: PlanInputs["chunks"]) {
  if (!inputs.completeSystemsOnly) return inputs.scenarios;
  const keys = new Set(chunks.map((c) => c.key));
  return inputs.scenarios.filter((s) => s.chunkKey === null || keys.has(s.chunkKey));
}

/**
 * Checks that every tier with slots to plan has what it needs.
 * @throws AppError "plan_impossible" naming what is missing and where to add it
 */
function requireInputs(inputs: PlanInputs, split: Record<Tier, number>, chunks: PlanInputs["chunks"], scenarios: PlanInputs["scenarios"]): void {
  const pages = inputs.pages;
  const where = (page: keyof PlanPages) => (pages ? ` (${pages[page]})` : "");
  if (inputs.completeSystemsOnly && inputs.chunks.length && !chunks.length) {
    throw new AppError(
      "plan_impossible",
      `"Generate from Complete Systems only" is on, but no document of this workspace is in the category "${COMPLETE_SYSTEMS_CATEGORY}". Set a document's category to "${COMPLETE_SYSTEMS_CATEGORY}" on the Documents page${where("documents")}, or turn the option off.`,
    );
  }
  const missing: string[] = [];
  if (!inputs.personas.length) missing.push(`personas${where("personas")}`);
  if (!inputs.emotionalArcs.some((a) => a.enabled)) missing.push(`at least one enabled emotional arc${where("emotionalArcs")}`);
  if (!inputs.topics.length) missing.push(`topics${where("topics")}`);
  if (!inputs.intents.length) missing.push(`intents${where("intents")}`);
  if (!inputs.tones.length) missing.push(`tones${where("tones")}`);
  if (!inputs.chunks.length) missing.push(`documents, whose chunks are the source of every conversation${where("documents")}`);
  if (split.scenario > 0 && !scenarios.length) {
    missing.push(
      inputs.completeSystemsOnly && inputs.scenarios.length
        ? `scenarios linked to Complete Systems documents${where("scenarios")} (or set the scenario tier to 0)`
        : `scenarios${where("scenarios")} (or set the scenario tier to 0)`,
    );
  }
  if (split.edge_case > 0 && !inputs.edgeCaseCategories.length) missing.push(`edge-case categories${where("edgeCaseCategories")} (or set the edge-case tier to 0)`);
  if (missing.length) {
    throw new AppError(
      "plan_impossible",
      `Cannot plan the dataset yet: add ${missing.join(", ")} first${pages ? "" : " in the workspace's Taxonomy, Scenarios and Documents pages"}, or import them with \`brightrun import PATH\`.`,
    );
  }
}

/**
 * The planner's state over one planning call: the counters (seeded with `existing`) and the
 * function that makes the next slot of a tier, optionally with a fixed combination.
 */
function createPlanner(inputs: PlanInputs, split: Record<Tier, number>) {
  const chunks = allowedChunks(inputs);
  const scenarios = allowedScenarios(inputs, chunks);
  requireInputs(inputs, split, chunks, scenarios);
  const existing = inputs.existing ?? [];
  const personas = inputs.personas.map((p) => p.key);
  const arcs = inputs.emotionalArcs.filter((a) => a.enabled).map((a) => a.key);
  const topics = inputs.topics.map((t) => t.key);
  const intents = inputs.intents.map((i) => i.key);
  const tones = inputs.tones.map((t) => t.key);
  const outcomes = (inputs.outcomes ?? []).map((o) => o.key);
  const edgeKeys = inputs.edgeCaseCategories.map((e) => e.key);
  const counters = {
    persona: new Map(),
    arc: new Map(),
    topic: new Map(),
    intent: new Map(),
    tone: new Map(),
    outcome: new Map(),
    chunk: new Map(),
    category: new Map(),
    scenario: new Map(),
    edge: new Map(),
    tier1Arc: new Map(),
  } as Record<string, Counter>;
  const usedCombos = new Set<string>();
  const categoryOfChunk = new Map(inputs.chunks.map((c) => [c.key, c.category ?? ""]));
  for (const slot of existing) {
    usedCombos.add(comboKey(slot.persona, slot.emotion, slot.topic));
    bump(counters.persona, slot.persona);
    bump(counters.arc, slot.emotion);
    bump(counters.topic, slot.topic);
    bump(counters.intent, slot.intent);
    bump(counters.tone, slot.tone);
    if (slot.outcome) bump(counters.outcome, slot.outcome);
    if (slot.chunkKey) {
      bump(counters.chunk, slot.chunkKey);
      bump(counters.category, categoryOfChunk.get(slot.chunkKey) ?? "");
    }
    if (slot.scenarioKey) bump(counters.scenario, slot.scenarioKey);
    if (slot.edgeCaseKey) bump(counters.edge, slot.edgeCaseKey);
    if (slot.tier === "template" && slot.planned !== false) bump(counters.tier1Arc, slot.emotion);
  }

  // Tier 1's target per arc: the arc configuration over the tier's existing plus new slots.
  const percentages = effectiveArcPercentages(inputs.emotionalArcs, inputs.arcDistribution);
  const arcsWithShare = arcs.filter((a) => (percentages[a] ?? 0) > 0);
  const existingTemplates = existing.filter((s) => s.tier === "template" && s.planned !== false).length;
  const arcTargets = allocateByLargestRemainder(
    existingTemplates + split.template,
    arcsWithShare.map((a) => ({ key: a, weight: percentages[a] })),
  );

  const chunkPicker = createChunkPicker(inputs, chunks, counters);

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
          // Arc balance weighs most (tier 1 follows the arc configuration).
          const cost = count(counters.persona, p) * 3 + count(counters.arc, a) * 4 + count(counters.topic, t) * 3;
          if (!best || cost < best.cost) best = { p, a, t, cost };
        }
      }
    }
    return best as { p: string; a: string; t: string };
  };

  let slotNumber = 0;
  /**
   * The next slot of `tier`; `fixedCombo` pins persona, arc and topic (Fill missing combinations;
   * a null topic = the least-used one), and `fixedEdgeCase` an edge-case slot's category.
   */
  const next = (tier: Tier, fixedCombo?: { persona: string; arc: string; topic: string | null }, fixedEdgeCase?: string): PlannedSlot => {
    slotNumber += 1;
    let scenario: PlanInputs["scenarios"][number] | null = null;
    let edgeCaseKey: string | null = null;
    let fixed: { persona?: string | null; arc?: string | null; topic?: string | null } = {};
    let arcPool = arcs;
    if (fixedCombo) {
      fixed = { persona: fixedCombo.persona, arc: fixedCombo.arc, topic: fixedCombo.topic };
      if (tier === "edge_case") {
        edgeCaseKey = fixedEdgeCase ?? leastUsed(edgeKeys, counters.edge);
        bump(counters.edge, edgeCaseKey);
      }
    } else if (tier === "template") {
      // The arcs furthest below their target in tier 1 are the candidates.
      const pool = arcsWithShare.length ? arcsWithShare : arcs;
      const deficit = (a: string) => (arcTargets[a] ?? 0) - count(counters.tier1Arc, a);
      const most = Math.max(...pool.map(deficit));
      arcPool = pool.filter((a) => deficit(a) === most);
    } else if (tier === "scenario") {
      const key = leastUsed(
        scenarios.map((s) => s.key),
        counters.scenario,
      );
      scenario = scenarios.find((s) => s.key === key) ?? null;
      const reused = count(counters.scenario, key) > 0;
      // A scenario's own persona, arc or topic holds only while it is active (not archived or disabled).
      const active = (value: string | null | undefined, pool: string[]) => (value && pool.includes(value) ? value : null);
      fixed = { persona: active(scenario?.personaKey, personas), arc: active(scenario?.emotionalArcKey, arcs), topic: active(scenario?.topicKey, topics) };
      // A scenario used again gets a different persona, so slots are not copies.
      if (reused) fixed.persona = null;
      bump(counters.scenario, key);
    } else {
      edgeCaseKey = leastUsed(edgeKeys, counters.edge);
      bump(counters.edge, edgeCaseKey);
    }
    const combo = chooseCombo(fixed, arcPool);
    usedCombos.add(comboKey(combo.p, combo.a, combo.t));
    bump(counters.persona, combo.p);
    bump(counters.arc, combo.a);
    bump(counters.topic, combo.t);
    if (tier === "template") bump(counters.tier1Arc, combo.a);
    const intent = leastUsed(intents, counters.intent, slotNumber);
    const tone = leastUsed(tones, counters.tone, slotNumber * 7);
    const outcome = outcomes.length ? leastUsed(outcomes, counters.outcome, slotNumber * 3) : null;
    bump(counters.intent, intent);
    bump(counters.tone, tone);
    if (outcome) bump(counters.outcome, outcome);
    const chunkKey = scenario?.chunkKey ?? chunkPicker(combo.t);
    bump(counters.chunk, chunkKey);
    bump(counters.category, categoryOfChunk.get(chunkKey) ?? "");
    return { slot: slotNumber, tier, persona: combo.p, emotion: combo.a, topic: combo.t, intent, tone, outcome, chunkKey, scenarioKey: scenario?.key ?? null, edgeCaseKey };
  };
  return { next };
}

/**
 * Picks the chunk of a slot for a topic. Without category weighting: the least-used of the chunks
 * best matching the topic. With it: first the document category furthest below its weighted share
 * ((used + 1) / weight smallest; weight 0 = never), then the least-used of that category's chunks
 * best matching the topic.
 */
function createChunkPicker(inputs: PlanInputs, chunks: PlanInputs["chunks"], counters: Record<string, Counter>): (topic: string) => string {
  const weights = inputs.categoryWeights ?? {};
  const weightOf = (category: string) => {
    const entry = Object.entries(weights).find(([name]) => sameCategory(name, category));
    return entry ? Math.max(0, entry[1]) : 1;
  };
  const categories = [...new Set(chunks.map((c) => c.category ?? ""))].sort((a, b) => a.localeCompare(b));
  const weighted = categories.some((c) => weightOf(c) !== 1) && categories.some((c) => weightOf(c) > 0);
  if (!weighted) {
    const ranked = rankChunksByTopic(inputs.topics, chunks);
    return (topic) => leastUsed(ranked.get(topic) as string[], counters.chunk);
  }
  const usable = categories.filter((c) => weightOf(c) > 0);
  const rankedByCategory = new Map(
    usable.map((category) => [
      category,
      rankChunksByTopic(
        inputs.topics,
        chunks.filter((c) => (c.category ?? "") === category),
      ),
    ]),
  );
  return (topic) => {
    let best = usable[0];
    for (const category of usable) {
      const share = (count(counters.category, category) + 1) / weightOf(category);
      if (share < (count(counters.category, best) + 1) / weightOf(best)) best = category;
    }
    return leastUsed(rankedByCategory.get(best)?.get(topic) as string[], counters.chunk);
  };
}

/**
 * Plans `split.template + split.scenario + split.edge_case` new slots (default 40/35/15), tier by
 * tier, continuing the balance of `existing`.
 * @throws AppError "plan_impossible" when a tier needs something the workspace lacks (no
 *   personas, no enabled arcs, no scenarios for a non-zero scenario tier, no chunks, no Complete
 *   Systems document when only those are asked for…), saying what to add and where.
 */
export function planConversations(inputs: PlanInputs): PlannedSlot[] {
  const split = inputs.split ?? DEFAULT_TIER_SPLIT;
  const planner = createPlanner(inputs, split);
  const slots: PlannedSlot[] = [];
  for (const tier of TIERS) for (let i = 0; i < split[tier]; i++) slots.push(planner.next(tier));
  return slots;
}

/**
 * The persona × arc × topic combinations (over the given personas, enabled arcs and topics) that
 * no conversation in `covered` (default `existing`) covers yet, in persona, arc, topic order.
 */
export function findMissingCombinations(inputs: Pick<PlanInputs, "personas" | "emotionalArcs" | "topics" | "existing" | "covered">): Combination[] {
  const covered = new Set((inputs.covered ?? inputs.existing ?? []).map((s) => comboKey(s.persona, s.emotion, s.topic)));
  const out: Combination[] = [];
  for (const p of inputs.personas)
    for (const a of inputs.emotionalArcs.filter((x) => x.enabled))
      for (const t of inputs.topics) if (!covered.has(comboKey(p.key, a.key, t.key))) out.push({ persona: p.key, arc: a.key, topic: t.key });
  return out;
}

/**
 * "Fill missing combinations": one template-tier slot per combination no conversation covers yet
 * (findMissingCombinations), at most `limit` (default MAX_FILL_SLOTS), each with the least-used
 * intent, tone and outcome and a chunk matching its topic.
 * @returns the slots and how many combinations were missing in all (the caller says when it capped)
 * @throws AppError "plan_impossible" as planConversations
 */
export function planMissingCombinations(inputs: PlanInputs, limit = MAX_FILL_SLOTS): { slots: PlannedSlot[]; missing: number } {
  const missing = findMissingCombinations(inputs);
  const take = missing.slice(0, Math.max(0, limit));
  const planner = createPlanner(inputs, { template: take.length, scenario: 0, edge_case: 0 });
  return { slots: take.map((combo) => planner.next("template", combo)), missing: missing.length };
}

/**
 * Plans one slot per pinned request, in order (the Coverage page's "Generate Recommended" and
 * "Generate Suggested Edge Cases"), each continuing the balance of `existing`: the least-used
 * intent, tone and outcome, a chunk matching the topic, and the least-used topic when none is
 * pinned. A request naming a persona, arc, topic or edge-case category that `inputs` does not
 * offer (archived, switched off, unknown) is refused.
 * @throws AppError "plan_invalid" naming the unknown value; "plan_impossible" as planConversations
 */
export function planPinnedSlots(inputs: PlanInputs, requests: readonly PinnedSlot[]): PlannedSlot[] {
  const personas = new Set(inputs.personas.map((p) => p.key));
  const arcs = new Set(inputs.emotionalArcs.filter((a) => a.enabled).map((a) => a.key));
  const topics = new Set(inputs.topics.map((t) => t.key));
  const edgeCases = new Set(inputs.edgeCaseCategories.map((e) => e.key));
  for (const r of requests) {
    const unknown =
      (!personas.has(r.persona) && `persona "${r.persona}"`) ||
      (!arcs.has(r.arc) && `emotional arc "${r.arc}"`) ||
      (r.topic !== null && !topics.has(r.topic) && `topic "${r.topic}"`) ||
      (r.tier === "edge_case" && (!r.edgeCaseKey || !edgeCases.has(r.edgeCaseKey)) && `edge-case category "${r.edgeCaseKey ?? ""}"`);
    if (unknown) throw new AppError("plan_invalid", `Cannot plan for the ${unknown}: it is not an active entry of this workspace's taxonomy (archived, switched off or removed). Reload the page for the current suggestions.`);
  }
  const split = { template: 0, scenario: 0, edge_case: 0 } as Record<Tier, number>;
  for (const r of requests) split[r.tier] += 1;
  const planner = createPlanner(inputs, split);
  return requests.map((r) => planner.next(r.tier, { persona: r.persona, arc: r.arc, topic: r.topic }, r.tier === "edge_case" ? (r.edgeCaseKey ?? undefined) : undefined));
}

/**
 * For each topic, the chunks that best match its name and key terms (the top third, at least
 * three), best first. A chunk matches a term when its key terms or content contain it.
 */
function rankChunksByTopic(topics: PlanInputs["topics"], chunks: PlanInputs["chunks"]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const topic of topics) {
    const terms = [...topic.keyTerms, ...topic.name.split(/\s+/)].map((t) => t.toLowerCase()).filter((t) => t.length > 3);
    const scored = chunks.map((chunk, index) => {
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
