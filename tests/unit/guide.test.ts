import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { guideSearchEntries, guideSlugOf, parseGuideSection, plainText, screenshotNameOf, screenshotsIn, slugifyHeading } from "../../src/lib/guide";

const ROOT = path.resolve(__dirname, "../..");
const GUIDE_DIR = path.join(ROOT, "docs/guide");
const sections = fs
  .readdirSync(GUIDE_DIR)
  .filter((name) => guideSlugOf(name))
  .sort()
  .map((name) => parseGuideSection(name, fs.readFileSync(path.join(GUIDE_DIR, name), "utf8")));

describe("the user guide's files", () => {
  it("has the sections issue 14 asks for, in reading order", () => {
    expect(sections.map((s) => s.title)).toEqual(["Getting started", "Generation", "Filtering", "Review", "Export", "Troubleshooting", "FAQ"]);
  });

  it("links only to sections and headings that exist", () => {
    const anchors = new Map(sections.map((s) => [s.slug, new Set(s.headings.map((h) => h.anchor))]));
    for (const section of sections) {
      for (const [, href] of section.markdown.matchAll(/\]\((\/guide[^)]*|#[^)]*)\)/g)) {
        const [pathPart, anchor] = href.split("#");
        const slug = pathPart ? pathPart.replace(/^\/guide\/?/, "") : section.slug;
        expect(anchors.has(slug), `${section.slug}: ${href} names no section`).toBe(true);
        if (anchor) expect(anchors.get(slug)?.has(anchor), `${section.slug}: ${href} names no heading`).toBe(true);
      }
    }
  });

  it("shows only screenshots the browser tests take, so the pictures stay true", () => {
    const specs = fs
      .readdirSync(path.join(ROOT, "tests/e2e"))
      .filter((f) => f.endsWith(".spec.ts"))
      .map((f) => fs.readFileSync(path.join(ROOT, "tests/e2e", f), "utf8"))
      .join("\n");
    // screenshot(page, "name"), a spec's own light-and-dark helper lightAndDark(page, "name"), or confirmGeneration's screenshotName.
    const taken = new Set([...specs.matchAll(/(?:screenshot|lightAndDark)\(\w+, "([a-z0-9-]+)"|screenshotName: "([a-z0-9-]+)"/g)].map((m) => m[1] ?? m[2]));
    const shown = sections.flatMap((s) => screenshotsIn(s.markdown)).filter((n) => !n.endsWith("-dark"));
    expect(shown.length).toBeGreaterThan(5);
    for (const name of shown) expect(taken.has(name), `screenshot "${name}" is taken by no browser test`).toBe(true);
  });
});

describe("guide parsing and search entries", () => {
  it("reads the title, the headings' anchors and refuses a file without a title", () => {
    const section = parseGuideSection("09-limits.md", "# Limits\n\nIntro with a [link](/guide/faq).\n\n## Rate limits and retries\nText.\n\n## `timeout`, `connection_error`\nMore.\n");
    expect(section).toMatchObject({ slug: "limits", title: "Limits" });
    expect(section.headings).toEqual([
      { text: "Rate limits and retries", anchor: "rate-limits-and-retries" },
      { text: "timeout, connection_error", anchor: "timeout-connection-error" },
    ]);
    expect(() => parseGuideSection("10-x.md", "No title here\n")).toThrow(/first line must be the section's title/);
    expect(() => parseGuideSection("notes.md", "# Notes\n")).toThrow(/NN-slug\.md/);
    expect(guideSlugOf("README.md")).toBeNull();
  });

  it("makes one search entry per introduction and per part, as plain text", () => {
    const section = parseGuideSection("02-generation.md", "# Generation\n\nRuns in the **background**.\n\n![The dialog](screenshot:generate-dialog)\n\n## Spending limit\nSet a `budget` in [the dialog](/guide/x).\n");
    expect(guideSearchEntries([section])).toEqual([
      { id: "generation", slug: "generation", sectionTitle: "Generation", heading: "Generation", anchor: null, text: "Runs in the background." },
      { id: "generation#spending-limit", slug: "generation", sectionTitle: "Generation", heading: "Spending limit", anchor: "spending-limit", text: "Set a budget in the dialog." },
    ]);
  });

  it("accepts only screenshot names for images", () => {
    expect(screenshotNameOf("screenshot:table-dark")).toBe("table-dark");
    expect(screenshotNameOf("screenshot:../secret")).toBeNull();
    expect(screenshotNameOf("https://example.com/a.png")).toBeNull();
    expect(screenshotsIn("![a](screenshot:table) ![b](other.png)")).toEqual(["table", "table-dark"]);
    expect(plainText("| Key | Does |\n|---|---|\n| A | Approve |")).toBe("Key Does A Approve");
    expect(plainText("the _simulated_ provider, `rate_limited`")).toBe("the simulated provider, rate_limited");
    expect(slugifyHeading("Crème brûlée: 2 ways")).toBe("creme-brulee-2-ways");
  });
});
