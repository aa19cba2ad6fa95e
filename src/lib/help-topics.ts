/**
 * The short explanations behind the (?) buttons beside complex controls (issue 14 item 4;
 * US14.2.1), each with the user-guide passage that says more. One place, so the same control
 * explains itself the same way wherever it appears; tests/unit/help-topics.test.ts checks every
 * link lands on a heading of docs/guide/.
 */
import { DEFAULT_TIER_SPLIT, QUALITY_REVIEW_THRESHOLD } from "./constants";

export type HelpTopicId = "spendingLimit" | "tierSplit" | "qualityScore" | "rateLimits";

export interface HelpTopic {
  /** What the (?) button is about ("About the spending limit"). */
  title: string;
  /** One or two sentences. */
  text: string;
  /** The guide passage, "section#anchor". */
  guide: string;
}

export const HELP_TOPICS: Record<HelpTopicId, HelpTopic> = {
  spendingLimit: {
    title: "the spending limit",
    text: "A call starts only when what was spent, plus what calls in flight may still cost, plus this call's maximum cost fits under the limit, so the run never costs more. When the next call does not fit, the run pauses; raise the limit to resume.",
    guide: "generation#spending-limit",
  },
  tierSplit: {
    title: "the three tiers",
    text: `Template conversations follow an emotional arc, Scenario conversations a scenario from your library, Edge case conversations test difficult situations and need a higher score to be approved. The default split is ${DEFAULT_TIER_SPLIT.template} / ${DEFAULT_TIER_SPLIT.scenario} / ${DEFAULT_TIER_SPLIT.edge_case}.`,
    guide: "faq#what-are-the-three-tiers",
  },
  qualityScore: {
    title: "the quality score",
    text: `A score from 1 to 10 computed from the conversation's structure and wording, without a model. Below ${QUALITY_REVIEW_THRESHOLD} it is flagged for review. It tells you what to read first; it cannot tell whether advice is correct.`,
    guide: "review#quality-score",
  },
  rateLimits: {
    title: "rate limits",
    text: "Limits are read from the provider's response headers, or set here. A limit nobody reported or set does not slow anything; your own server is paced by the concurrency alone.",
    guide: "generation#rate-limits-and-retries",
  },
};

/** The guide URL of a topic ("/guide/generation#spending-limit"). */
export function helpTopicHref(id: HelpTopicId): string {
  return `/guide/${HELP_TOPICS[id].guide}`;
}
