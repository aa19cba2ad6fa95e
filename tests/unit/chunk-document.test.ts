import { describe, expect, it } from "vitest";
import {
  CHUNK_TARGET_CHARS,
  WHOLE_SECTION_MAX_CHARS,
  chunkDocument,
  computeChunkDimensions,
  summarizeText,
  type ChunkDraft,
} from "../../src/core/import/chunk-document";
import { buildKeyTermCorpus, extractKeyTerms } from "../../src/core/import/key-terms";

/** Eight distinct paragraphs about Roth conversions, each ~350–450 characters. */
const ROTH_PARAGRAPHS = [
  "A Roth conversion moves money from a traditional IRA into a Roth IRA. You pay income tax on the converted amount in the year of the conversion, and in exchange the money grows tax-free afterwards. Qualified withdrawals in retirement are not taxed at all, which is why many clients like the Roth account as a long-term bucket.",
  "The best years for a Roth conversion are usually the gap years between retirement and the start of Social Security. Income is low, so the conversion fills the lower tax brackets instead of stacking on top of a salary. Converting in those years can cost far less than paying tax later on required minimum distributions.",
  "We size each Roth conversion to the top of a chosen bracket. If a couple has $40,000 of other income and the 12% bracket ends at $94,300, the room left is about $54,300. Converting more than that pushes dollars into the 22% bracket, which may still be fine, but it should be a decision rather than an accident.",
  "Paying the conversion tax from a taxable account keeps more money working inside the Roth. Paying it from the IRA itself shrinks the conversion and, under age 59½, can add a 10% penalty on the part withheld. We almost always recommend paying the tax from cash or a brokerage account.",
  "Each Roth conversion starts its own five-year clock for penalty-free access to the converted principal if you are under 59½. A conversion ladder takes advantage of this: convert a slice every year, and five years later each slice becomes available in turn. Early retirees use the ladder to bridge the years before other income starts.",
  "Medicare premiums look back two years. A large Roth conversion at 63 can raise IRMAA surcharges at 65, so we check the income thresholds before picking an amount. Sometimes splitting the conversion across two calendar years keeps a client under a threshold and saves a few thousand dollars.",
  "State taxes matter too. Converting while living in a state with no income tax, and before moving to one that taxes retirement income, can lock in a lower rate. The reverse move argues for waiting. We note the client's plans for the next decade before recommending a schedule.",
  "Finally, a Roth account has no required minimum distributions for the original owner, and heirs inherit it income-tax-free. For clients who expect to leave money to children in high tax brackets, converting during their own low-bracket years is a gift that keeps paying for a decade after they are gone.",
];

const INTRO = "This guide explains how we plan retirement income for our clients. It covers conversions, getting started, and what other clients went through.";
const GETTING_STARTED = [
  "1. Gather your last two tax returns.",
  "2. List every account with its latest balance.",
  "3. Write down the income you expect each year until age 75.",
  "4. Book a review call with your planner.",
  "5. Sign the engagement letter and share read-only access to your accounts.",
].join("\n");
const CLIENT_STORY =
  "Last year Maria came to us worried. She had just retired and told us she was afraid of running out of money. We sat down with her, looked at every account, and she decided to start small conversions. It was a relief when she saw that the plan held up.";
const FEES = "Our fee is a flat annual retainer. It covers planning, tax projections and two review meetings a year.";

const MARKDOWN = [
  "# Retirement Income Guide",
  "",
  INTRO,
  "",
  "## Roth Conversions",
  "",
  ROTH_PARAGRAPHS.join("\n\n"),
  "",
  "## Getting Started",
  "",
  "Follow these steps before our first meeting:",
  "",
  GETTING_STARTED,
  "",
  "## A Client Story",
  "",
  CLIENT_STORY,
  "",
  "## Fees",
  "",
  FEES,
  "",
].join("\n");

const AUDIENCE_LEVELS = ["beginner", "intermediate", "advanced"];
const VALENCES = ["positive", "neutral", "negative"];
const CONTENT_TYPES = ["procedural", "narrative", "conceptual"];

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9½$%]+/g) ?? [];
}

function chunksUnder(chunks: ChunkDraft[], heading: string): ChunkDraft[] {
  return chunks.filter((chunk) => chunk.heading === heading);
}

describe("chunkDocument (markdown)", () => {
  it("keeps every short section whole, in one chunk with its heading", async () => {
    const chunks = await chunkDocument({ text: MARKDOWN, format: "markdown", title: "Retirement Income Guide" });

    expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, index) => index));
    expect(chunksUnder(chunks, "Getting Started")).toHaveLength(1);
    expect(chunksUnder(chunks, "A Client Story")).toHaveLength(1);
    expect(chunksUnder(chunks, "Fees")).toHaveLength(1);

    const [steps] = chunksUnder(chunks, "Getting Started");
    expect(steps.content).toBe(`## Getting Started\n\nFollow these steps before our first meeting:\n\n${GETTING_STARTED}`);
    const [fees] = chunksUnder(chunks, "Fees");
    expect(fees.content).toBe(`## Fees\n\n${FEES}`);

    // The document title (# heading) names the document; the intro before the first ## has no heading.
    expect(chunks[0].heading).toBeNull();
    expect(chunks[0].content).toContain(INTRO);
    expect(chunks.every((chunk) => !chunk.heading?.includes("Retirement Income Guide"))).toBe(true);
  });

  it("splits a long section at paragraph boundaries, every piece carrying the heading", async () => {
    const chunks = await chunkDocument({ text: MARKDOWN, format: "markdown", title: "Retirement Income Guide" });
    const roth = chunksUnder(chunks, "Roth Conversions");

    expect(roth.length).toBeGreaterThanOrEqual(2);
    for (const chunk of roth) {
      expect(chunk.content.startsWith("## Roth Conversions\n\n")).toBe(true);
      expect(chunk.content.length).toBeLessThanOrEqual(WHOLE_SECTION_MAX_CHARS);
      expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_TARGET_CHARS);
      const paragraphs = chunk.content.slice("## Roth Conversions\n\n".length).split("\n\n");
      for (const paragraph of paragraphs) expect(ROTH_PARAGRAPHS).toContain(paragraph);
    }
    // In order, every paragraph present.
    const seen = roth.flatMap((chunk) => chunk.content.split("\n\n").slice(1));
    expect([...new Set(seen)]).toEqual(ROTH_PARAGRAPHS);
  });

  it("loses no content: every word of the document appears in some chunk", async () => {
    const chunks = await chunkDocument({ text: MARKDOWN, format: "markdown", title: "Retirement Income Guide" });
    const chunkWords = new Set(chunks.flatMap((chunk) => words(chunk.content)));
    const missing = words(MARKDOWN).filter((word) => !chunkWords.has(word));
    expect(missing).toEqual([]);
  });

  it("writes short summaries from the body, not the heading", async () => {
    const chunks = await chunkDocument({ text: MARKDOWN, format: "markdown", title: "Retirement Income Guide" });
    for (const chunk of chunks) {
      expect(chunk.summary.length).toBeGreaterThan(0);
      expect(chunk.summary.length).toBeLessThanOrEqual(240);
      expect(chunk.summary).not.toContain("#");
    }
    const [story] = chunksUnder(chunks, "A Client Story");
    expect(story.summary).toBe("Last year Maria came to us worried. She had just retired and told us she was afraid of running out of money.");
    const [steps] = chunksUnder(chunks, "Getting Started");
    expect(steps.summary).toBe("Follow these steps before our first meeting: Gather your last two tax returns.");
    expect(chunksUnder(chunks, "Roth Conversions")[0].summary.startsWith("A Roth conversion moves money from a traditional IRA into a Roth IRA.")).toBe(true);
  });

  it("picks sensible key terms", async () => {
    const chunks = await chunkDocument({ text: MARKDOWN, format: "markdown", title: "Retirement Income Guide" });
    for (const chunk of chunks) {
      expect(chunk.keyTerms.length).toBeGreaterThan(0);
      expect(chunk.keyTerms.length).toBeLessThanOrEqual(8);
      expect(new Set(chunk.keyTerms).size).toBe(chunk.keyTerms.length);
      for (const term of chunk.keyTerms) {
        expect(term).toBe(term.toLowerCase());
        expect(["the", "and", "with", "your", "our"]).not.toContain(term);
      }
    }
    for (const chunk of chunksUnder(chunks, "Roth Conversions")) {
      expect(chunk.keyTerms.some((term) => term.split(" ").includes("roth"))).toBe(true);
      expect(chunk.keyTerms.some((term) => term.includes("conversion"))).toBe(true);
    }
  });

  it("derives dimensions with valid values", async () => {
    const chunks = await chunkDocument({ text: MARKDOWN, format: "markdown", title: "Retirement Income Guide" });
    for (const chunk of chunks) {
      const d = chunk.dimensions;
      expect(Number.isInteger(d.word_count) && (d.word_count as number) > 0).toBe(true);
      expect(AUDIENCE_LEVELS).toContain(d.audience_level);
      expect(VALENCES).toContain(d.emotional_valence);
      expect(CONTENT_TYPES).toContain(d.content_type);
      expect(typeof d.has_numbers).toBe("boolean");
      expect(d.reading_time_s).toBe(Math.round(((d.word_count as number) / 200) * 60));
      expect(chunk.tokenCount).toBe(Math.ceil(chunk.content.length / 4));
    }
    const [steps] = chunksUnder(chunks, "Getting Started");
    expect(steps.dimensions.content_type).toBe("procedural");
    const [story] = chunksUnder(chunks, "A Client Story");
    expect(story.dimensions.content_type).toBe("narrative");
    expect(story.dimensions.has_numbers).toBe(false);
    const [fees] = chunksUnder(chunks, "Fees");
    expect(fees.dimensions.content_type).toBe("conceptual");
    expect(fees.dimensions.word_count).toBe(18);
    // The bracket paragraph is full of figures.
    expect(chunksUnder(chunks, "Roth Conversions").some((chunk) => chunk.dimensions.has_numbers === true)).toBe(true);
  });

  it("labels nested sections with their heading path and ignores # lines inside code fences", async () => {
    const text = [
      "## Roth Ladder",
      "### Year 1",
      "Convert up to the top of the 12% bracket.",
      "",
      "```bash",
      "# not a heading",
      "```",
      "### Year 2",
      "Repeat, adjusting for inflation.",
      "## Other",
      "Something else.",
    ].join("\n");
    const chunks = await chunkDocument({ text, format: "markdown", title: "Ladder" });
    expect(chunks.map((chunk) => chunk.heading)).toEqual(["Roth Ladder > Year 1", "Roth Ladder > Year 2", "Other"]);
    // The empty "## Roth Ladder" section travels with its first subsection.
    expect(chunks[0].content.startsWith("## Roth Ladder\n\n### Year 1\n\nConvert up to")).toBe(true);
    expect(chunks[0].content).toContain("# not a heading");
    expect(chunks[1].content).toBe("### Year 2\n\nRepeat, adjusting for inflation.");
  });

  it("returns no chunks for a blank document", async () => {
    expect(await chunkDocument({ text: "  \n\n ", format: "markdown", title: "Empty" })).toEqual([]);
  });
});

describe("chunkDocument (plain text)", () => {
  it("splits on blank lines, keeps paragraphs whole and loses nothing", async () => {
    const text = ROTH_PARAGRAPHS.join("\n\n") + "\n";
    const chunks = await chunkDocument({ text, format: "text", title: "Roth notes" });

    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const chunk of chunks) {
      expect(chunk.heading).toBeNull();
      expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_TARGET_CHARS);
      for (const paragraph of chunk.content.split("\n\n")) expect(ROTH_PARAGRAPHS).toContain(paragraph);
    }
    expect([...new Set(chunks.flatMap((chunk) => chunk.content.split("\n\n")))]).toEqual(ROTH_PARAGRAPHS);
  });

  it("keeps a short text in one chunk", async () => {
    const chunks = await chunkDocument({ text: `${CLIENT_STORY}\n\n${FEES}`, format: "text", title: "Notes" });
    expect(chunks).toHaveLength(1);
    expect(chunks[0].content).toBe(`${CLIENT_STORY}\n\n${FEES}`);
  });

  it("cuts a paragraph longer than the target at sentence ends", async () => {
    const sentence = "Every sentence in this paragraph talks about rebalancing a portfolio back to its target allocation.";
    const text = Array.from({ length: 40 }, () => sentence).join(" ");
    const chunks = await chunkDocument({ text, format: "text", title: "Long" });
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of chunks) {
      expect(chunk.content.startsWith("Every sentence")).toBe(true);
      expect(chunk.content.endsWith("allocation.")).toBe(true);
    }
  });
});

describe("summarizeText", () => {
  it("takes one or two sentences and cuts a long one at a word with an ellipsis", () => {
    expect(summarizeText("First point. Second point. Third point.")).toBe("First point. Second point.");
    expect(summarizeText("Prices rose 3.5% vs. last year, e.g. in rent. Then they fell.")).toBe("Prices rose 3.5% vs. last year, e.g. in rent. Then they fell.");

    const long = `${"Diversification spreads risk across many holdings so that no single loss ".repeat(5)}ruins the plan.`;
    const summary = summarizeText(long);
    expect(summary.length).toBeLessThanOrEqual(240);
    expect(summary.endsWith("…")).toBe(true);
    expect(long.startsWith(summary.slice(0, -1))).toBe(true);
    expect(long[summary.length - 1]).toBe(" "); // cut right before a space, not mid-word
  });

  it("skips headings and markdown syntax", () => {
    expect(summarizeText("#### Detail\n\n**Bold** start with a [link](https://example.com).")).toBe("Bold start with a link.");
  });
});

describe("computeChunkDimensions", () => {
  it("rates plain everyday text beginner and dense jargon advanced", () => {
    expect(computeChunkDimensions("We meet once a year. You tell us your goals. We make a plan. It is simple.").audience_level).toBe("beginner");
    const dense =
      "Amortization of the premium reduces the bond's adjusted cost basis, and the fiduciary must reconcile the beneficiary's basis with the custodian's reporting before calculating required minimum distribution obligations under the applicable statutory methodology.";
    expect(computeChunkDimensions(dense).audience_level).toBe("advanced");
  });

  it("reads emotional valence from a small lexicon, with negation", () => {
    expect(computeChunkDimensions("The plan gave them confidence and peace of mind. Retirement felt secure and happy.").emotional_valence).toBe("positive");
    expect(computeChunkDimensions("They panicked after the crash, worried about debt and afraid of another loss.").emotional_valence).toBe("negative");
    expect(computeChunkDimensions("The account holds bonds and stocks in equal parts.").emotional_valence).toBe("neutral");
    expect(computeChunkDimensions("There was no risk and no penalty, and no worry at all.").emotional_valence).toBe("positive");
  });

  it("recognises bulleted steps as procedural and finds numbers", () => {
    const bullets = "- Open the account\n- Fund it\n- Pick the target-date fund\n- Turn on automatic contributions";
    expect(computeChunkDimensions(bullets).content_type).toBe("procedural");
    expect(computeChunkDimensions(bullets).has_numbers).toBe(false);
    expect(computeChunkDimensions("Save 15% of income, about $9,000 a year.").has_numbers).toBe(true);
  });
});

describe("extractKeyTerms", () => {
  it("ranks frequent words and phrases, skipping stopwords and words only seen inside a chosen phrase", () => {
    const text =
      "Tax-loss harvesting sells a losing fund. The harvesting rule: the wash sale rule forbids buying it back within 30 days. A wash sale cancels the loss. Harvesting works best in taxable accounts.";
    const terms = extractKeyTerms(text, { max: 5 });
    expect(terms).toContain("wash sale");
    expect(terms).not.toContain("wash");
    expect(terms).not.toContain("sale");
    expect(terms).toContain("harvesting");
    expect(terms).not.toContain("the");
    expect(terms.length).toBeLessThanOrEqual(5);
  });

  it("keeps codes like 401(k) and folds plurals", () => {
    expect(extractKeyTerms("Your 401(k) match is free money. Max the 401(k) match first; matches vary.")).toEqual(
      expect.arrayContaining(["401(k) match"]),
    );
    expect(extractKeyTerms("Dividends and one dividend. Dividends again.")[0]).toBe("dividend");
  });

  it("down-weights terms common to every chunk when given the corpus", () => {
    const chunks = [
      "Retirement income from bonds. Bonds pay coupons. Bonds mature. Retirement retirement retirement.",
      "Retirement income from annuities. Annuities pay for life.",
      "Retirement income from rentals. Rentals need upkeep.",
    ];
    expect(extractKeyTerms(chunks[0], { max: 1 })).toEqual(["retirement"]);
    expect(extractKeyTerms(chunks[0], { max: 1, corpus: chunks })).toEqual(["bonds"]);
    expect(extractKeyTerms(chunks[0], { max: 1, corpus: buildKeyTermCorpus(chunks) })).toEqual(["bonds"]);
  });
});
