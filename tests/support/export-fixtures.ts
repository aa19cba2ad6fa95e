/**
 * Realistic `ExportConversation` fixtures for the export tests, from the sample
 * financial-planning workspace (examples/financial-planning).
 */
import type { ExportConversation, Turn } from "../../src/core/types";

export const SYSTEM_PROMPT =
  "You are the client assistant for Harbor & Pine Financial Planning, a small, owner-led, fee-only fiduciary practice. " +
  "Talk the way we do with clients at the kitchen table: warm, plain-spoken, specific.";

const anchorAccountTurns: Turn[] = [
  { role: "user", content: "I keep hearing about an \"Anchor Account\". Is that just a savings account with a fancy name?" },
  {
    role: "assistant",
    content:
      "Fair question! It is a savings account, but with one job: it holds three months of your fixed bills so that a surprise never forces you to sell investments. Do you know roughly what your fixed bills come to each month?",
  },
  { role: "user", content: "About $3,200 between rent, insurance and the car." },
  {
    role: "assistant",
    content:
      "Then your Anchor Account target is about $9,600 (3 × $3,200). If you can set aside $400 a month, you'd be there in two years — and every month you're closer than you were.",
  },
];

const inheritanceTurns: Turn[] = [
  { role: "user", content: "My mother passed away and left me $180,000. I feel guilty even thinking about what to do with it." },
  {
    role: "assistant",
    content:
      "I'm so sorry about your mother. There's no rush here: many of our clients park an inheritance in a high-yield savings account for six months while they grieve. Would it help to talk through what that first step looks like?",
  },
  { role: "user", content: "Yes. I don't want to make a mistake with her money." },
  {
    role: "assistant",
    content:
      "That care says a lot about you. Step one is simply keeping it safe and earning interest; step two, when you're ready, is a meeting with a planner to see how it fits your own goals. Nothing has to be decided this month.",
  },
  { role: "user", content: "That takes a lot of pressure off. Thank you." },
  { role: "assistant", content: "You're welcome. Whenever you're ready, we can book that meeting together." },
];

const guaranteeTurns: Turn[] = [
  { role: "user", content: "Just tell me which fund is guaranteed to return 12% a year. I need it." },
  {
    role: "assistant",
    content:
      "I understand wanting certainty, but no honest planner can promise a 12% return — no fund guarantees that. What I can do is explain how we build a plan that doesn't depend on one. What's the 12% for?",
  },
];

/** A conversation with every field filled; override what a test needs. */
export function makeConversation(overrides: Partial<ExportConversation> = {}): ExportConversation {
  return {
    conversationId: "conv-0001",
    title: "What is an Anchor Account?",
    tier: "template",
    status: "approved",
    isSeed: false,
    persona: "Anxious first-time investor",
    emotion: "Confusion to clarity",
    topic: "Anchor Account",
    intent: "Understand a method",
    tone: "Warm",
    sourceCategory: "methods",
    sourceDocument: "anchor-account-cash-flow.md",
    chunkKey: "anchor-account-cash-flow-01",
    qualityScore: 8.5,
    systemPrompt: SYSTEM_PROMPT,
    turns: anchorAccountTurns,
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    createdAt: new Date("2025-10-20T09:00:00.000Z"),
    generatedAt: new Date("2025-10-21T10:30:00.000Z"),
    reviewedAt: new Date("2025-10-22T16:45:00.000Z"),
    reviewerId: "local-user",
    reviewerNotes: "Good worked example.",
    metadata: { generation_run: "run-7", temperature: 0.7 },
    ...overrides,
  };
}

/**
 * Four conversations covering every tier, a seed, an unscored one and a multi-line answer.
 * Hand-computed facts used by the manifest tests:
 * - 4 conversations, 1 seed, turns 4 + 6 + 2 + 4 = 16
 * - scores 8.5, 6, 9, null → scored 3, average (8.5 + 6 + 9) / 3 = 7.83, min 6, max 9
 *   bands: "1-5" 0, "6-7" 1, "8-10" 2; by score: "6" 1, "8" 1, "9" 1
 * - tiers: template 2, scenario 1, edge_case 1; personas: Anxious first-time investor 2, Grieving heir 1, Impatient optimizer 1
 * - created 2025-10-01 … 2025-10-20; generated 2025-10-03 … 2025-10-21 (the seed has none)
 */
export function sampleConversations(): ExportConversation[] {
  return [
    makeConversation(),
    makeConversation({
      conversationId: "conv-0002",
      title: "Inheritance after a loss",
      tier: "scenario",
      persona: "Grieving heir",
      emotion: "Grief to calm",
      topic: "Inheritance",
      qualityScore: 6,
      turns: inheritanceTurns,
      createdAt: new Date("2025-10-02T12:00:00.000Z"),
      generatedAt: new Date("2025-10-03T08:15:00.000Z"),
      sourceDocument: "client-story-inheritance.md",
    }),
    makeConversation({
      conversationId: "conv-0003",
      title: "Demand for a guaranteed return",
      tier: "edge_case",
      persona: "Impatient optimizer",
      emotion: "Frustration to trust",
      topic: "Guaranteed returns",
      qualityScore: 9,
      turns: guaranteeTurns,
      createdAt: new Date("2025-10-05T07:00:00.000Z"),
      generatedAt: new Date("2025-10-06T07:05:00.000Z"),
    }),
    makeConversation({
      conversationId: "seed-001",
      title: "Seed: line breaks and \u2028separators",
      isSeed: true,
      qualityScore: null,
      provider: null,
      model: null,
      generatedAt: null,
      createdAt: new Date("2025-10-01T00:00:00.000Z"),
      turns: [
        { role: "user", content: "Can you list the three buckets?" },
        { role: "assistant", content: "Sure:\n1. Cash for 2 years\n2. Bonds for years 3–7\n3. Stocks for 8+\u2028That's the Three-Bucket Strategy." },
        { role: "user", content: "And which one do I spend first?" },
        { role: "assistant", content: "Bucket 1, the cash — then we refill it from the others in good years." },
      ],
    }),
  ];
}
