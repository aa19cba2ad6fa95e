import { describe, expect, it } from "vitest";
import { HEALTH_WINDOWS, parseHealthWindow } from "../../src/lib/database-health";

describe("the health page's window from the URL", () => {
  it("takes the three windows and falls back to 24 hours for anything else, inherited names included", () => {
    expect(parseHealthWindow("7d")).toBe("7d");
    expect(parseHealthWindow(["30d", "7d"])).toBe("30d");
    for (const odd of [undefined, "", "1y", "constructor", "toString", "__proto__"]) expect(parseHealthWindow(odd)).toBe("24h");
    expect(Object.keys(HEALTH_WINDOWS)).toEqual(["24h", "7d", "30d"]);
  });
});
