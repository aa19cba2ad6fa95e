/**
 * The template lifecycle rules (issue 11; src/core/templates/template-lifecycle.ts): keys from names,
 * what a save does, when activation and deletion are refused, the version label and approval rate.
 */
import { describe, expect, it } from "vitest";
import {
  activationRefusal,
  approvalRate,
  createOutcome,
  deletionRefusal,
  saveOutcome,
  templateContentChanged,
  templateKeyFromName,
  templateMetadataChanged,
  versionLabel,
} from "../../src/core/templates/template-lifecycle";

const content = { systemPrompt: "You write.", templateText: "Hello {persona}.", maxTokens: 2000, temperature: 0.7 };
const meta = { name: "Warm expert", description: "", tier: "template" as const, applicablePersonas: ["a", "b"], applicableArcs: [] };

describe("template lifecycle rules", () => {
  it("makes a key from the name, unique in the workspace and never a reserved page name", () => {
    expect(templateKeyFromName("Warm Expert — Tier 1!", [])).toBe("warm-expert-tier-1");
    expect(templateKeyFromName("Warm expert", ["warm-expert", "warm-expert-2"])).toBe("warm-expert-3");
    expect(templateKeyFromName("New", [])).toBe("new-2");
    expect(templateKeyFromName("Analytics", [])).toBe("analytics-2");
    expect(templateKeyFromName("???", [])).toBe("template");
    expect(templateKeyFromName("Café crème", [])).toBe("cafe-creme");
  });

  it("counts only the prompt and settings as content; the fields are metadata", () => {
    expect(templateContentChanged(content, { ...content })).toBe(false);
    expect(templateContentChanged(content, { ...content, temperature: 0.8 })).toBe(true);
    expect(templateContentChanged(content, { ...content, templateText: "Hi {persona}." })).toBe(true);
    expect(templateMetadataChanged(meta, { ...meta, applicablePersonas: ["b", "a"] })).toBe(false);
    expect(templateMetadataChanged(meta, { ...meta, name: "Cold expert" })).toBe(true);
    expect(templateMetadataChanged(meta, { ...meta, applicableArcs: ["x"] })).toBe(true);
  });

  it("creates a draft unless Save and activate, which a require-test workspace refuses", () => {
    expect(createOutcome({ mode: "save", requireTest: false })).toEqual({ status: "draft" });
    expect(createOutcome({ mode: "draft", requireTest: true })).toEqual({ status: "draft" });
    expect(createOutcome({ mode: "activate", requireTest: false })).toEqual({ status: "active" });
    expect(createOutcome({ mode: "activate", requireTest: true })).toHaveProperty("refusal", expect.stringContaining("requires a successful test"));
  });

  it("makes a saved version current, except Save as draft and an active template under require-test", () => {
    expect(saveOutcome({ mode: "save", status: "active", requireTest: false })).toEqual({ makeCurrent: true });
    expect(saveOutcome({ mode: "save", status: "active", requireTest: true })).toEqual({ makeCurrent: false });
    expect(saveOutcome({ mode: "save", status: "draft", requireTest: true })).toEqual({ makeCurrent: true });
    expect(saveOutcome({ mode: "save", status: "inactive", requireTest: false })).toEqual({ makeCurrent: true });
    expect(saveOutcome({ mode: "draft", status: "active", requireTest: false })).toEqual({ makeCurrent: false });
    expect(saveOutcome({ mode: "draft", status: "draft", requireTest: false })).toEqual({ makeCurrent: false });
  });

  it("refuses activation without a successful test only when the workspace requires one", () => {
    expect(activationRefusal({ requireTest: false, version: { version: 4, lastTest: null } })).toBeNull();
    expect(activationRefusal({ requireTest: true, version: { version: 4, lastTest: null } })).toBe(
      "Test v4 first: this workspace requires a successful test before activation, and it has not been tested.",
    );
    expect(activationRefusal({ requireTest: true, version: { version: 4, lastTest: { ok: false } } })).toContain("its last test failed");
    expect(activationRefusal({ requireTest: true, version: { version: 4, lastTest: { ok: true } } })).toBeNull();
  });

  it("refuses deleting the only active template of a tier with planned conversations", () => {
    const base = { name: "Tier 1 default", tier: "template" as const, status: "active" as const };
    expect(deletionRefusal({ ...base, otherActiveOfTier: 0, plannedOfTier: 12 })).toBe(
      '"Tier 1 default" is the only active Template template and 12 planned conversations of that tier still need it. Activate another Template template first, or delete those conversations.',
    );
    expect(deletionRefusal({ ...base, otherActiveOfTier: 1, plannedOfTier: 12 })).toBeNull();
    expect(deletionRefusal({ ...base, otherActiveOfTier: 0, plannedOfTier: 0 })).toBeNull();
    expect(deletionRefusal({ ...base, status: "draft", otherActiveOfTier: 0, plannedOfTier: 12 })).toBeNull();
  });

  it("labels a waiting draft version and computes approval over reviewed conversations only", () => {
    expect(versionLabel({ current: 3, latest: 3 })).toBe("v3");
    expect(versionLabel({ current: 3, latest: 4 })).toBe("v3 · v4 draft");
    expect(approvalRate({ approved: 0, rejected: 0 })).toBeNull();
    expect(approvalRate({ approved: 3, rejected: 1 })).toBe(0.75);
  });
});
