import "server-only";
/**
 * Locks an account after repeated failed sign-ins (issue 14, item 1: "a locked account says when
 * to retry"). Per account (the e-mail), not per address, so one attacker cannot lock out an
 * office behind one IP and a botnet cannot spread guesses over many IPs. Counts live in
 * better-auth's rate-limit table under the key `lockout:<email>`, so every server process sees them.
 *
 * The limits are ours, settable by environment: BRIGHTRUN_LOGIN_MAX_FAILURES (default 5) failed
 * attempts within BRIGHTRUN_LOGIN_LOCKOUT_MINUTES (default 15) lock the account until that many
 * minutes after the last failure. NIST SP 800-63B §5.2.2 asks for a limit of at most 100
 * consecutive failures; OWASP's Authentication Cheat Sheet ("Account Lockout") describes this
 * scheme. docs/accounts.md.
 */
import type { DbOrTx } from "../db/client";
import { deleteCounter, getCounter, setCounter } from "../db/queries/accounts";

/** The lockout policy in force: failures (count) within / locked for `windowMs` (ms). */
export function lockoutPolicy(env: Record<string, string | undefined> = process.env): { maxFailures: number; windowMs: number } {
  const max = Number.parseInt(env.BRIGHTRUN_LOGIN_MAX_FAILURES ?? "", 10);
  const minutes = Number.parseFloat(env.BRIGHTRUN_LOGIN_LOCKOUT_MINUTES ?? "");
  return {
    maxFailures: Number.isFinite(max) && max >= 1 && max <= 100 ? max : 5,
    windowMs: (Number.isFinite(minutes) && minutes > 0 ? minutes : 15) * 60_000,
  };
}

const keyFor = (email: string) => `lockout:${email.trim().toLowerCase()}`;

/**
 * When the account `email` may try again, or null when it is not locked.
 * @returns a Date (the end of the lock) or null
 */
export async function lockedUntil(db: DbOrTx, email: string, now = Date.now()): Promise<Date | null> {
  const { maxFailures, windowMs } = lockoutPolicy();
  const row = await getCounter({ db, key: keyFor(email) });
  if (!row || row.count < maxFailures) return null;
  const until = row.lastRequest + windowMs;
  return until > now ? new Date(until) : null;
}

/** Counts one failed sign-in of `email` (a failure older than the window starts the count again). */
export async function recordFailedSignIn(db: DbOrTx, email: string, now = Date.now()): Promise<void> {
  const { windowMs } = lockoutPolicy();
  const key = keyFor(email);
  const row = await getCounter({ db, key });
  const count = !row || now - row.lastRequest > windowMs ? 1 : row.count + 1;
  await setCounter({ db, key, count, lastRequest: now });
}

/** Forgets the failures of `email` (after a successful sign-in or a password reset). */
export async function clearFailedSignIns(db: DbOrTx, email: string): Promise<void> {
  await deleteCounter({ db, key: keyFor(email) });
}

/** "Try again at 14:05 (in 12 minutes)." */
export function retryMessage(until: Date, now = Date.now()): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now) / 60_000));
  const at = until.toISOString().slice(11, 16);
  return `This account is locked after too many failed sign-ins. Try again at ${at} UTC (in ${minutes} minute${minutes === 1 ? "" : "s"}), or reset the password.`;
}
