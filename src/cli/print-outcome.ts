/**
 * How `brightrun review` and `brightrun delete` report what they did: one line on stdout with the
 * count and the conversations (`3 conversations approved: tmpl-001, tmpl-002, tmpl-003.`), then on
 * stderr one line per skip reason with the conversations it applies to, e.g.
 * `  2 skipped: seed conversations are locked (seed-001, seed-002).` — at most 8 ids each, then "…".
 */
import { note, say } from "./context";

/** Prints `<n> conversation(s) <verb>: <ids>.` and the skipped ones grouped by reason. Throws nothing. */
export function printOutcome({ verb, done, skipped }: { verb: string; done: readonly string[]; skipped: ReadonlyArray<{ conversationId: string; reason: string }> }): void {
  say(`${done.length} conversation${done.length === 1 ? "" : "s"} ${verb}${done.length ? `: ${someIds(done)}` : ""}.`);
  const reasons = new Map<string, string[]>();
  for (const s of skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), s.conversationId]);
  for (const [reason, ids] of reasons) note(`  ${ids.length} skipped: ${reason} (${someIds(ids)}).`);
}

function someIds(ids: readonly string[]): string {
  return `${ids.slice(0, 8).join(", ")}${ids.length > 8 ? ", …" : ""}`;
}
