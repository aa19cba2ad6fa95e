/**
 * The seven kinds of taxonomy entry a workspace describes its customers with, in page order: the
 * URL segment of each page (`/w/<slug>/taxonomy/<segment>`), the list name in the taxonomy file
 * (docs/import-formats.md), the conversations column that refers to it, and the words the pages use.
 * Safe for client code.
 */

export const TAXONOMY_KINDS = ["personas", "emotional_arcs", "topics", "intents", "tones", "edge_case_categories", "outcomes"] as const;

/** A kind, named as its list in the taxonomy file ("emotional_arcs"). */
export type TaxonomyKind = (typeof TAXONOMY_KINDS)[number];

export interface TaxonomyKindInfo {
  kind: TaxonomyKind;
  /** URL segment of its page ("emotional-arcs"). */
  segment: string;
  /** Tab label, plural ("Emotional arcs"). */
  label: string;
  /** One entry, lower case ("emotional arc"). */
  singular: string;
  /** One sentence under the page title. */
  blurb: string;
}

export const TAXONOMY_KIND_INFO: Record<TaxonomyKind, TaxonomyKindInfo> = {
  personas: { kind: "personas", segment: "personas", label: "Personas", singular: "persona", blurb: "Who your customers are: each conversation speaks as one of them." },
  emotional_arcs: {
    kind: "emotional_arcs",
    segment: "emotional-arcs",
    label: "Emotional arcs",
    singular: "emotional arc",
    blurb: "How a customer's feelings move through a conversation, turn by turn.",
  },
  topics: { kind: "topics", segment: "topics", label: "Topics", singular: "topic", blurb: "What your customers ask about, with the key terms a good answer uses." },
  intents: { kind: "intents", segment: "intents", label: "Intents", singular: "intent", blurb: "Why a customer starts the conversation." },
  tones: { kind: "tones", segment: "tones", label: "Tones", singular: "tone", blurb: "How the assistant should sound." },
  edge_case_categories: {
    kind: "edge_case_categories",
    segment: "edge-cases",
    label: "Edge cases",
    singular: "edge-case category",
    blurb: "Boundary conditions the edge-case tier tests, each with what the conversation must test.",
  },
  outcomes: { kind: "outcomes", segment: "outcomes", label: "Outcomes", singular: "outcome", blurb: "How a conversation should end: in the prompt as {outcome}, a table column and a filter." },
};

/** The kind whose page is at `segment`, or null for an unknown segment. */
export function taxonomyKindFromSegment(segment: string): TaxonomyKind | null {
  return TAXONOMY_KINDS.find((kind) => TAXONOMY_KIND_INFO[kind].segment === segment) ?? null;
}

/**
 * A key made from a name, as the create form suggests it: lower case, runs of anything but letters
 * and digits become one "-", no leading or trailing "-", at most 60 characters ("" for a name
 * without letters or digits). Accents are dropped ("Café" → "cafe").
 */
export function keyFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
}
