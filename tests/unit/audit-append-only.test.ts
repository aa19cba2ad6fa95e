/**
 * Audit rows are append-only (issue 13 item 5): no code updates or deletes a row of
 * generation_logs, review_logs or export_logs, except the retention job's queries
 * (src/server/db/queries/retention.ts, issue 13 item 6), the one allowed deleter. Reads every
 * source file and fails on a Drizzle `.update(…)` / `.delete(…)` of those tables or an SQL
 * `update …` / `delete from …` naming them anywhere else; and retention never touches review_logs.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(__dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

/** The one file allowed to delete audit rows and drop their payloads: retention. */
const RETENTION_FILE = path.join("server", "db", "queries", "retention.ts");

const FORBIDDEN = [
  /\.(update|delete)\(\s*(generationLogs|reviewLogs|exportLogs)\s*\)/,
  /\b(update|delete\s+from)\s+(generation_logs|review_logs|export_logs)\b/i,
  /\btruncate\s+(table\s+)?(generation_logs|review_logs|export_logs)\b/i,
];

describe("audit tables are append-only", () => {
  it("finds source files to check", () => {
    expect(sourceFiles(SRC).length).toBeGreaterThan(50);
  });

  it("no source file but retention's updates or deletes generation_logs, review_logs or export_logs rows", () => {
    const offenders = sourceFiles(SRC).filter((file) => path.relative(SRC, file) !== RETENTION_FILE).flatMap((file) => {
      const text = fs.readFileSync(file, "utf8");
      return FORBIDDEN.filter((pattern) => pattern.test(text)).map((pattern) => `${path.relative(SRC, file)} matches ${pattern}`);
    });
    expect(offenders).toEqual([]);
  });

  it("retention deletes generation and export logs but never review logs", () => {
    const text = fs.readFileSync(path.join(SRC, RETENTION_FILE), "utf8");
    expect(text).toMatch(/\.delete\(generationLogs\)/);
    expect(text).toMatch(/\.delete\(exportLogs\)/);
    expect(text).not.toMatch(/reviewLogs|review_logs/);
  });

  it("would catch such a write", () => {
    expect(FORBIDDEN.some((p) => p.test("await db.delete(reviewLogs).where(x)"))).toBe(true);
    expect(FORBIDDEN.some((p) => p.test("sql`update export_logs set user_id = ''`"))).toBe(true);
    expect(FORBIDDEN.some((p) => p.test("update conversations c set status = rl.previous_status from review_logs rl"))).toBe(false);
  });
});
