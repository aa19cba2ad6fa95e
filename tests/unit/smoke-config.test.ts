import { describe, expect, it } from "vitest";
import { AppError, toPlainError } from "../../src/core/errors";

describe("AppError", () => {
  it("keeps the plain-English message and marks retryability", () => {
    const error = new AppError("rate_limited", "The provider asked us to slow down.", { retryable: true, detail: { status: 429 } });
    expect(toPlainError(error)).toEqual({ code: "rate_limited", message: "The provider asked us to slow down.", retryable: true, detail: { status: 429 } });
    expect(toPlainError(new Error("boom")).code).toBe("internal_error");
  });
});
