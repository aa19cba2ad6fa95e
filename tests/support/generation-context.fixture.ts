/**
 * GenerationContext fixtures: a small financial-planning workspace (personas, arcs, topics,
 * intents, tones, chunks, scenarios, edge cases) and helpers that combine them into slots.
 */
import type { Tier } from "../../src/lib/constants";
import type { Chunk, EdgeCaseCategory, EmotionalArc, GenerationContext, Persona, Scenario, TaxonomyEntry, Topic } from "../../src/core/types";

export const PERSONAS: Persona[] = [
  {
    key: "anxious-first-time-investor",
    name: "Anxious First-Time Investor",
    description: "A 32-year-old nurse who has just started investing and worries about losing money.",
    attributes: { traits: ["risk-averse", "detail-oriented", "asks many questions"], communication_style: "informal, lots of questions", goals: ["build an emergency fund"] },
  },
  {
    key: "busy-executive",
    name: "Busy Executive",
    description: "Senior managers with little time who want the bottom line first.",
    attributes: { traits: ["decisive", "impatient"], communication_style: "formal and brief" },
  },
  {
    key: "pre-retiree-couple",
    name: "Pre-Retiree Couple",
    description: "A couple in their late fifties planning to stop working within five years.",
    attributes: { traits: ["cautious", "collaborative"], communication_style: "detailed, thoughtful" },
  },
  {
    key: "young-family",
    name: "Young Family",
    description: "Parents of two small children juggling a mortgage, childcare and saving for college.",
    attributes: {},
  },
];

export const EMOTIONAL_ARCS: EmotionalArc[] = [
  { key: "anxiety-to-confidence", name: "Anxiety to Confidence", description: "From worry to calm competence.", startingEmotion: "anxious", endingEmotion: "confident", turnStructure: "Opens worried, asks basic questions, gains footing, ends confident." },
  { key: "confusion-to-clarity", name: "Confusion to Clarity", description: "From muddle to understanding.", startingEmotion: "Confused", endingEmotion: "Clear-headed", turnStructure: "Opens confused, works through terms, ends with a clear picture." },
  { key: "frustration-to-relief", name: "Frustration to Relief", description: "From annoyance to relief.", startingEmotion: "frustrated", endingEmotion: "relieved", turnStructure: "Opens frustrated, vents, sees a path, ends relieved." },
  { key: "fear-to-hope", name: "Fear to Hope", description: "From fear to hope.", startingEmotion: "fear", endingEmotion: "hope", turnStructure: "Opens afraid, is heard, ends hopeful." },
];

export const TOPICS: Topic[] = [
  { key: "retirement-planning", name: "Retirement Planning", description: "How much to save and when you can stop working.", keyTerms: ["retirement age", "withdrawal rate", "pension"] },
  { key: "emergency-fund", name: "Emergency Fund", description: "Cash set aside for surprises.", keyTerms: ["emergency fund", "savings account"] },
  { key: "roth-ira-conversions", name: "Roth IRA Conversions", description: "Moving pre-tax savings into a Roth IRA.", keyTerms: ["Roth IRA", "conversion", "tax bracket"] },
  { key: "college-savings", name: "College Savings", description: "Saving for children's education.", keyTerms: [] },
];

export const INTENTS: TaxonomyEntry[] = [
  { key: "seek-reassurance", name: "Seek reassurance", description: "Wants to hear they are on track." },
  { key: "learn", name: "Understand a concept", description: "Wants to learn how something works." },
  { key: "make-decision", name: "Make a decision", description: "Choosing between options." },
  { key: "other", name: "Second opinion", description: "Checking an idea." },
];

export const TONES: TaxonomyEntry[] = [
  { key: "warm", name: "Warm and empathetic", description: "Kind, patient, validating." },
  { key: "direct", name: "Direct", description: "Plain and to the point." },
  { key: "professional", name: "Professional", description: "Measured and precise." },
  { key: "playful", name: "Light-hearted", description: "Friendly with a touch of humour." },
];

export const CHUNKS: Chunk[] = [
  {
    key: "retirement-guide-1",
    documentKey: "retirement-guide",
    documentTitle: "Retirement Readiness Guide",
    category: "Retirement",
    heading: "How much is enough?",
    content:
      "## How much is enough?\n\nMost households need between 70 and 80 percent of their pre-retirement income to maintain their lifestyle. A sustainable withdrawal rate of around 4 percent gives a portfolio a good chance of lasting thirty years. Your retirement age matters as much as your savings rate, because every extra working year adds contributions and shortens the withdrawal period. A pension, if you have one, reduces how much your own savings must cover.",
    summary: "Estimating how much you need for retirement from income replacement, withdrawal rate and retirement age.",
    keyTerms: ["withdrawal rate", "retirement age", "income replacement"],
    dimensions: { audience_level: "beginner", content_type: "conceptual", word_count: 78 },
  },
  {
    key: "emergency-fund-1",
    documentKey: "cash-basics",
    documentTitle: "Cash Basics",
    category: "Budgeting",
    heading: null,
    content:
      "An emergency fund should cover three to six months of essential expenses. Keep it in a high-yield savings account so it is easy to reach but separate from everyday spending. Build it gradually with an automatic transfer on payday. Only use it for true emergencies such as job loss, medical bills or urgent repairs.",
    summary: "",
    keyTerms: [],
    dimensions: { audience_level: 2 },
  },
  {
    key: "roth-1",
    documentKey: "tax-smart-saving",
    documentTitle: "Tax-Smart Saving",
    category: "Tax planning",
    heading: "Roth conversions",
    content:
      "A Roth conversion moves money from a traditional IRA into a Roth IRA. You pay income tax on the converted amount in the year of the conversion. Converting in years when your tax bracket is unusually low can reduce lifetime taxes. Qualified withdrawals from a Roth IRA are tax-free in retirement.",
    summary: "When converting a traditional IRA to a Roth IRA makes sense.",
    keyTerms: ["Roth IRA", "tax bracket", "conversion"],
    dimensions: { audience_level: "intermediate" },
  },
];

export const SCENARIOS: Scenario[] = [
  {
    key: "late-starter",
    title: "Late starter catching up",
    category: "Retirement",
    problem: "I'm 52, I only started saving seriously three years ago, and I have about $90,000 put away.",
    solution: "Maximise catch-up contributions, push the target retirement age back two years, and keep the portfolio balanced rather than chasing returns.",
    outcome: "The plan reaches about 75 percent income replacement at 67, with a pension covering the rest.",
  },
  {
    key: "windfall",
    title: "Unexpected inheritance",
    category: "Windfalls",
    problem: "My aunt left me $150,000 and I have no idea what to do with it.",
    solution: "Park the money in a high-yield savings account for six months, pay off the credit card, fill the emergency fund, then invest the rest gradually.",
    outcome: "Within a year the debt is gone, the emergency fund is full and the remainder is invested according to a written plan.",
  },
];

export const EDGE_CASES: EdgeCaseCategory[] = [
  { key: "guaranteed-returns", name: "Demands guaranteed returns", description: "Client insists on a promise of returns.", testCondition: "Client demands a guaranteed return before investing." },
  { key: "grief", name: "Grief and financial trauma", description: "Recently bereaved client facing money decisions.", testCondition: "Client recently lost a spouse and must make decisions." },
  { key: "conflicting-goals", name: "Conflicting goals", description: "Partners disagree about priorities.", testCondition: "Spouses want opposite things." },
  { key: "panic-selling", name: "Panic selling", description: "Client wants to sell everything right now after a market drop.", testCondition: "Client wants to act immediately." },
  { key: "emotional-overwhelm", name: "Emotional overwhelm", description: "Client is overwhelmed and shutting down.", testCondition: "Client cannot cope with the number of decisions." },
  { key: "stock-tip", name: "Wants a stock pick", description: "Asks for a specific stock to buy.", testCondition: "Client asks which stock to buy." },
  { key: "legal-question", name: "Legal question", description: "Asks for legal advice outside scope.", testCondition: "Client wants legal advice." },
  { key: "distrust", name: "Distrustful client", description: "Skeptical of advisors after a bad experience.", testCondition: "Client suspects a sales pitch." },
  { key: "decide-for-me", name: "Decide for me", description: "Wants the assistant to make the decision.", testCondition: "Client hands over the decision entirely." },
];

export const TRAINING_SYSTEM_PROMPT = "You are the client assistant of Northwind Financial Planning. Be warm, clear and honest; never promise returns.";

/** One slot with sensible defaults; override any field. */
export function buildGenerationContext(overrides: Partial<GenerationContext> = {}): GenerationContext {
  return {
    conversationId: "conv-0001",
    tier: "template",
    persona: PERSONAS[0],
    emotionalArc: EMOTIONAL_ARCS[0],
    topic: TOPICS[0],
    intent: INTENTS[0],
    tone: TONES[0],
    chunk: CHUNKS[0],
    scenario: null,
    edgeCase: null,
    outcome: null,
    businessName: "Northwind Financial Planning",
    trainingSystemPrompt: TRAINING_SYSTEM_PROMPT,
    ...overrides,
  };
}

/**
 * `count` different slots cycling through every dimension at co-prime strides, across the three
 * tiers (scenario slots get a scenario, edge-case slots an edge case; every fifth slot has no chunk).
 */
export function variedGenerationContexts(count: number): GenerationContext[] {
  const tiers: Tier[] = ["template", "scenario", "edge_case"];
  return Array.from({ length: count }, (_, index) => {
    const tier = tiers[index % tiers.length];
    return buildGenerationContext({
      conversationId: `conv-${String(index + 1).padStart(4, "0")}`,
      tier,
      persona: PERSONAS[index % PERSONAS.length],
      emotionalArc: EMOTIONAL_ARCS[(index * 3) % EMOTIONAL_ARCS.length],
      topic: TOPICS[(index * 5 + 1) % TOPICS.length],
      intent: INTENTS[(index * 7) % INTENTS.length],
      tone: TONES[(index * 3 + 2) % TONES.length],
      chunk: index % 5 === 4 ? null : CHUNKS[((index * 5 + 1) % TOPICS.length) % CHUNKS.length],
      scenario: tier === "scenario" ? SCENARIOS[index % SCENARIOS.length] : null,
      edgeCase: tier === "edge_case" ? EDGE_CASES[index % EDGE_CASES.length] : null,
    });
  });
}
