/**
 * What the SMTP settings form shows (issue 14 item 5; docs/email.md). Safe for client code.
 */
import type { SmtpSecurity } from "../server/db/schema/accounts";

/** The security choices in the form's order, with their labels and the port each usually goes with (RFC 8314, RFC 6409). */
export const SMTP_SECURITY_OPTIONS: ReadonlyArray<{ value: SmtpSecurity; label: string; usualPort: number }> = [
  { value: "starttls", label: "STARTTLS (usually port 587)", usualPort: 587 },
  { value: "tls", label: "TLS (usually port 465)", usualPort: 465 },
  { value: "none", label: "None — no encryption (trusted network only)", usualPort: 25 },
];

/** The installation's e-mail settings page. */
export const EMAIL_SETTINGS_PATH = "/settings/email";
