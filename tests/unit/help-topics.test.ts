import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { guideSlugOf, parseGuideSection } from "../../src/lib/guide";
import { HELP_TOPICS, helpTopicHref, type HelpTopicId } from "../../src/lib/help-topics";

const GUIDE_DIR = path.resolve(__dirname, "../../docs/guide");
const anchors = new Map(
  fs
    .readdirSync(GUIDE_DIR)
    .filter((name) => guideSlugOf(name))
    .map((name) => parseGuideSection(name, fs.readFileSync(path.join(GUIDE_DIR, name), "utf8")))
    .map((s) => [s.slug, new Set(s.headings.map((h) => h.anchor))]),
);

describe("help topics", () => {
  it("send every (?) button's Learn more to a heading that exists in the guide", () => {
    for (const id of Object.keys(HELP_TOPICS) as HelpTopicId[]) {
      const [slug, anchor] = HELP_TOPICS[id].guide.split("#");
      expect(anchors.get(slug)?.has(anchor), `${id}: ${helpTopicHref(id)} is not a heading of docs/guide`).toBe(true);
    }
  });
});
