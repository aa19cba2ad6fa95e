/**
 * PII redaction of logged payloads (issue 13 item 6): e-mail addresses and phone numbers become
 * placeholders; numbers that are not phone numbers (dates, token counts, prices, ids) stay.
 */
import { describe, expect, it } from "vitest";
import { EMAIL_REDACTION, PHONE_REDACTION, redactPii, redactPiiText } from "../../src/lib/redact-pii";

describe("redactPiiText", () => {
  it.each([
    ["Write to jane.doe+tax@example.co.uk today", `Write to ${EMAIL_REDACTION} today`],
    ["CONTACT: J_Smith@Mail-Server.example.org.", `CONTACT: ${EMAIL_REDACTION}.`],
    ["two: a@b.io, c.d@e-f.com", `two: ${EMAIL_REDACTION}, ${EMAIL_REDACTION}`],
  ])("replaces e-mail addresses: %s", (input, expected) => {
    expect(redactPiiText(input)).toBe(expected);
  });

  it.each([
    "+1 (555) 123-4567",
    "(555) 123-4567",
    "555-123-4567",
    "555.123.4567",
    "020 7946 0958",
    "+44 20 7946 0958",
    "+447911123456",
    "5551234567",
    "+49 30 1234567",
  ])("replaces the phone number %s", (phone) => {
    expect(redactPiiText(`Call me at ${phone} after five.`)).toBe(`Call me at ${PHONE_REDACTION} after five.`);
  });

  it.each([
    "The review is due 2026-11-29.",
    "It used 1234 input tokens and 987 output tokens.",
    "Budget $12,500.75 for 2026.",
    "Pi is 3.14159265.",
    "Order 42, step 7 of 12, at 14:30.",
    "Conversation tmpl-001 and scen-023.",
    "A 401(k) with 6% match.",
    "id 550e8400-e29b-41d4-a716-446655440000",
  ])("keeps text that holds no phone number: %s", (text) => {
    expect(redactPiiText(text)).toBe(text);
  });
});

describe("redactPii", () => {
  it("redacts every string of a payload and keeps its shape, keys and other values", () => {
    const payload = {
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      messages: [
        { role: "user", content: "I'm Ann (ann@example.com, 555-123-4567)." },
        { role: "assistant", content: [{ type: "text", text: "Thanks Ann, I'll e-mail ann@example.com." }] },
      ],
      stream: false,
      metadata: null,
    };
    expect(redactPii(payload)).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      messages: [
        { role: "user", content: `I'm Ann (${EMAIL_REDACTION}, ${PHONE_REDACTION}).` },
        { role: "assistant", content: [{ type: "text", text: `Thanks Ann, I'll e-mail ${EMAIL_REDACTION}.` }] },
      ],
      stream: false,
      metadata: null,
    });
    expect(payload.messages[0].content).toContain("ann@example.com");
  });

  it("passes null and undefined through", () => {
    expect(redactPii(null)).toBeNull();
    expect(redactPii(undefined)).toBeUndefined();
  });
});
