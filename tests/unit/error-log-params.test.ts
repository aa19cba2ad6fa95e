import { describe, expect, it } from "vitest";
import {
  errorCategoryFor,
  errorLogHref,
  isRetryableErrorCode,
  parseErrorLogParams,
  serializeErrorLogParams,
  sinceToDate,
} from "../../src/lib/error-log-params";

describe("error log URL params", () => {
  it("reads codes, tiers, retryable, since and paging, and writes them back to the same URL", () => {
    const { state, issues } = parseErrorLogParams(
      new URLSearchParams("code=rate_limited,timeout&tier=template,edge_case&retryable=yes&since=24h&page=2&perPage=50"),
    );
    expect(issues).toEqual([]);
    expect(state).toEqual({ code: ["rate_limited", "timeout"], tier: ["template", "edge_case"], retryable: true, since: "24h", page: 2, perPage: 50 });
    expect(serializeErrorLogParams(state).toString()).toBe("code=rate_limited%2Ctimeout&tier=template%2Cedge_case&retryable=yes&since=24h&page=2&perPage=50");
    expect(parseErrorLogParams({ retryable: "no" }).state.retryable).toBe(false);
  });

  it("falls back to defaults for values off the whitelist and says why, without throwing", () => {
    const { state, issues } = parseErrorLogParams({
      code: "rate_limited,DROP TABLE;,x'",
      tier: "template,vip",
      retryable: "maybe",
      since: "1y",
      page: "abc",
      perPage: "30",
    });
    expect(state).toEqual({ code: ["rate_limited"], tier: ["template"], retryable: null, since: null, page: 1, perPage: 25 });
    expect(issues.map((i) => i.param).sort()).toEqual(["code", "code", "page", "perPage", "retryable", "since", "tier"]);
  });

  it("leaves defaults out of the URL", () => {
    expect(errorLogHref("acme", parseErrorLogParams({}).state)).toBe("/w/acme/errors");
    expect(errorLogHref("acme", { tier: ["scenario"], page: 1 })).toBe("/w/acme/errors?tier=scenario");
  });

  it("counts the since window back from now", () => {
    expect(sinceToDate("1h", 10_000_000)?.getTime()).toBe(10_000_000 - 3_600_000);
    expect(sinceToDate(null)).toBeNull();
  });

  it("tells temporary from permanent errors and categorises them (US11.3.1)", () => {
    expect(isRetryableErrorCode("rate_limited")).toBe(true);
    expect(isRetryableErrorCode("authentication_failed")).toBe(false);
    expect(errorCategoryFor("overloaded")).toBe("api");
    expect(errorCategoryFor("authentication_failed")).toBe("user");
    expect(errorCategoryFor("internal_error")).toBe("system");
  });
});
