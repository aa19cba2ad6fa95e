/** The audit page's URL state (src/lib/audit-params.ts): parsed, reported, serialised back. */
import { describe, expect, it } from "vitest";
import { auditDateRange, defaultAuditState, parseAuditParams, serializeAuditParams } from "../../src/lib/audit-params";

describe("audit params", () => {
  it("reads each tab's filters and writes them back without defaults", () => {
    const query = "tab=exports&from=2026-11-01&to=2026-11-30&user=local&export=abc-1&page=2";
    const { state, issues } = parseAuditParams(new URLSearchParams(query));
    expect(issues).toEqual([]);
    expect(state).toMatchObject({ tab: "exports", from: "2026-11-01", to: "2026-11-30", user: "local", export: "abc-1", page: 2 });
    expect(serializeAuditParams(state)).toBe("tab=exports&from=2026-11-01&to=2026-11-30&user=local&export=abc-1&page=2");
    expect(serializeAuditParams(defaultAuditState())).toBe("");
  });

  it("drops what it cannot use and says why", () => {
    const { state, issues } = parseAuditParams({ tab: "secrets", from: "yesterday", run: "not-a-uuid", kind: "chat", error: "Bad Code", page: "0", conversation: "  " });
    expect(state).toEqual(defaultAuditState());
    expect(issues.map((i) => i.param).sort()).toEqual(["error", "from", "kind", "page", "run", "tab"]);
    expect(issues.find((i) => i.param === "from")?.message).toMatch(/day like 2026-11-01/);
  });

  it("refuses an end day before the start day", () => {
    const { state, issues } = parseAuditParams(new URLSearchParams("from=2026-11-10&to=2026-11-01"));
    expect(state.to).toBeNull();
    expect(issues[0]).toMatchObject({ param: "to" });
  });

  it("turns inclusive UTC days into [start, next midnight)", () => {
    expect(auditDateRange({ from: "2026-11-01", to: "2026-11-01" })).toEqual({ from: new Date("2026-11-01T00:00:00Z"), before: new Date("2026-11-02T00:00:00Z") });
    expect(auditDateRange({ from: null, to: null })).toEqual({ from: undefined, before: undefined });
  });
});
