/**
 * PII redaction of logged payloads (issue 13 item 6; FR1.2.1 "PII redaction in logs"): when a
 * workspace turns it on, e-mail addresses and phone numbers in a generation_logs row's request and
 * response payloads are replaced before the row is written. No phone-number library is installed
 * in this project (libphonenumber-js is not available), so both are documented regular
 * expressions (docs/retention.md):
 *
 * - e-mail: `local@domain.tld` — local part of letters, digits and `._%+-`, a domain of labels
 *   joined by dots, a top-level part of 2+ letters (the common subset of RFC 5322 addresses);
 *   replaced by `[email redacted]`.
 * - phone: an optional `+` and country code, an optional parenthesised area code, then groups of
 *   digits separated by single spaces, dots or dashes (`+1 (555) 123-4567`, `020 7946 0958`,
 *   `555.123.4567`, `+447911123456`, `5551234567`), 7–15 digits in all (ITU-T E.164 allows at most
 *   15), not touching a letter, digit, `+`, `.`, `/` or `-` on the left or a letter, digit or `-` on
 *   the right (so parts of ids, UUIDs and dates are left alone). A run of digits with no separator
 *   and no `+` counts only from 10 digits (shorter ones are counts, amounts, years). Not phones:
 *   ISO dates (`2026-11-29`), decimals (`3.14159265`). Replaced by `[phone redacted]`. Known
 *   over-match: a bare number of 10–15 digits (a millisecond timestamp) is redacted too.
 */

export const EMAIL_REDACTION = "[email redacted]";
export const PHONE_REDACTION = "[phone redacted]";

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g;

/** Candidates: digits, optionally led by + or (, with single separators between groups. */
const PHONE_CANDIDATE = /(?<![\w+./-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,12}(?:[ .-]\d{2,8}){0,4}(?![\w-])/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return false;
  if (ISO_DATE.test(candidate)) return false;
  const separated = /[ .()-]/.test(candidate) || candidate.startsWith("+");
  // A bare run of digits is a phone number only when it is long enough to be one (10+), e.g. 5551234567.
  if (!separated) return digits.length >= 10;
  // Decimals like 1234.5678 or 3.14159265 are numbers, not phones: a dot-only number needs 3+ groups.
  if (/^\d+\.\d+$/.test(candidate)) return false;
  return true;
}

/** Replaces e-mail addresses and phone numbers in one string (patterns above). */
export function redactPiiText(text: string): string {
  const withoutEmails = text.replace(EMAIL, EMAIL_REDACTION);
  return withoutEmails.replace(PHONE_CANDIDATE, (match) => (isPhone(match) ? PHONE_REDACTION : match));
}

/**
 * A copy of a JSON value (a logged payload) with every string redacted by redactPiiText; object
 * keys, numbers, booleans and null are kept as they are. `undefined` stays `undefined`.
 */
export function redactPii<T>(value: T): T {
  if (typeof value === "string") return redactPiiText(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactPii(item)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, redactPii(item)])) as T;
  }
  return value;
}
