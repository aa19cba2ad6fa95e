/**
 * The review and delete rules are one set of rules whichever door a user takes (issue 8, item 8):
 * every case below runs through the CLI — `brightrun review` / `brightrun delete` with raw
 * arguments, through runCli (citty's runCommand, exactly as bin/brightrun.mjs runs it) — and
 * through the dashboard's server actions, each on its own database seeded the same way, and must
 * give the same outcome: the same conversations reviewed or deleted, the same skip reasons, the
 * same refusal. At the end both databases must hold the same conversations in the same states.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { localOwner, setProcessPrincipal } from "../../src/server/auth";
import { runCli } from "../../src/cli/index";
import { DELETE_SKIP_REASONS } from "../../src/core/conversations/delete-rules";
import { startRun } from "../../src/server/runs/run-machine";
import { importPath } from "../../src/core/import/import-workspace";
import { createPlan } from "../../src/core/planning/create-plan";
import { DEFAULT_TIER_RULES, REVIEW_NOTES_TOO_LONG_MESSAGE, REVIEW_SKIP_REASONS } from "../../src/core/review/review-rules";
import type { DeleteOutcome, ReviewInput, ReviewOutcome } from "../../src/lib/dashboard-contract";
import { deleteConversationsAction } from "../../src/server/actions/conversations";
import { reviewConversationsAction } from "../../src/server/actions/review";
import { openDatabase, type DatabaseHandle } from "../../src/server/db/client";
import { migrateDatabase } from "../../src/server/db/migrate";
import { conversations, reviewLogs } from "../../src/server/db/schema";
import { createTestDatabase, createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";
import { createTestWorkspace } from "../support/test-workspace";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const DATABASE_KEY = Symbol.for("brightrun.database");
const USER = "doors-tester";

/** What a user is told: the conversations reviewed / deleted and the ones skipped with why — or the refusal. */
type Outcome = { done: string[]; skipped: Array<{ conversationId: string; reason: string }> } | { refused: string };

interface DoorCase {
  name: string;
  /** `brightrun …` arguments. */
  cli: string[];
  /** The dashboard action and its input, as the browser sends it. */
  web: { review: ReviewInput } | { delete: { target: ReviewInput["target"]; confirmed: true } };
  expected: Outcome;
}

const skip = (reason: string, ...ids: string[]) => ids.map((conversationId) => ({ conversationId, reason }));

/**
 * Run in order, on two databases that start the same: generated tmpl-001…006, scen-001…003 and
 * edge-001…005 (scores below), tmpl-007 not generated, tmpl-008 waiting in an unfinished run,
 * scen-004 being generated, seeds seed-001…010 (imported approved).
 */
const CASES: DoorCase[] = [
  {
    name: "approves one edge case on its own",
    cli: ["review", "approve", "edge-001"],
    web: { review: { target: { ids: ["edge-001"] }, action: "approve" } },
    expected: { done: ["edge-001"], skipped: [] },
  },
  {
    name: "never approves edge cases in bulk, even named one by one in the same command",
    cli: ["review", "approve", "edge-002", "edge-003", "tmpl-001"],
    web: { review: { target: { ids: ["edge-002", "edge-003", "tmpl-001"] }, action: "approve" } },
    expected: { done: ["tmpl-001"], skipped: skip(REVIEW_SKIP_REASONS.edgeCaseInBulk, "edge-002", "edge-003") },
  },
  {
    name: "does not approve an edge case below the edge-case bar (7 < 8) without a note, saying why",
    cli: ["review", "approve", "edge-002"],
    web: { review: { target: { ids: ["edge-002"] }, action: "approve" } },
    expected: { done: [], skipped: skip(REVIEW_SKIP_REASONS.belowBarWithoutNote(7, "edge_case", DEFAULT_TIER_RULES), "edge-002") },
  },
  {
    name: "naming the same edge case twice is not bulk, and a note lets one below its bar be approved",
    cli: ["review", "approve", "edge-002", "edge-002", "--notes", "Handles the pushback well despite the score."],
    web: { review: { target: { ids: ["edge-002", "edge-002"] }, action: "approve", notes: "Handles the pushback well despite the score." } },
    expected: { done: ["edge-002"], skipped: [] },
  },
  {
    name: "rejects edge cases in bulk, with notes",
    cli: ["review", "reject", "edge-003", "edge-004", "--notes", "Off topic."],
    web: { review: { target: { ids: ["edge-003", "edge-004"] }, action: "reject", notes: "Off topic." } },
    expected: { done: ["edge-003", "edge-004"], skipped: [] },
  },
  {
    name: "skips seeds, conversations not generated yet and ids that do not exist, saying why",
    cli: ["review", "approve", "seed-001", "tmpl-007", "tmpl-002", "nope-404"],
    web: { review: { target: { ids: ["seed-001", "tmpl-007", "tmpl-002", "nope-404"] }, action: "approve" } },
    expected: {
      done: ["tmpl-002"],
      skipped: [
        ...skip(REVIEW_SKIP_REASONS.missing, "nope-404"),
        ...skip(REVIEW_SKIP_REASONS.seed, "seed-001"),
        ...skip(REVIEW_SKIP_REASONS.notReviewable("not_generated"), "tmpl-007"),
      ],
    },
  },
  {
    name: "refuses notes over 500 characters and changes nothing",
    cli: ["review", "reject", "tmpl-003", "--notes", "n".repeat(501)],
    web: { review: { target: { ids: ["tmpl-003"] }, action: "reject", notes: "n".repeat(501) } },
    expected: { refused: REVIEW_NOTES_TOO_LONG_MESSAGE },
  },
  {
    name: "a bulk approve by score (CLI --min-score, dashboard select-all on a filter) leaves edge cases out",
    cli: ["review", "approve", "--min-score", "8"],
    web: { review: { target: { matching: { filter: { status: ["generated"], minQuality: 8 } } }, action: "approve" } },
    expected: { done: ["scen-001", "scen-003", "tmpl-003", "tmpl-005"], skipped: skip(REVIEW_SKIP_REASONS.edgeCaseInBulk, "edge-005") },
  },
  {
    name: "deletes a conversation and keeps a seed",
    cli: ["delete", "seed-002", "tmpl-004", "--yes"],
    web: { delete: { target: { ids: ["seed-002", "tmpl-004"] }, confirmed: true } },
    expected: { done: ["tmpl-004"], skipped: skip(DELETE_SKIP_REASONS.seed, "seed-002") },
  },
  {
    name: "keeps a conversation being generated and one waiting in an unfinished run",
    cli: ["delete", "scen-004", "tmpl-008", "scen-002", "--yes"],
    web: { delete: { target: { ids: ["scen-004", "tmpl-008", "scen-002"] }, confirmed: true } },
    expected: { done: ["scen-002"], skipped: [...skip(DELETE_SKIP_REASONS.generating, "scen-004"), ...skip(DELETE_SKIP_REASONS.queued, "tmpl-008")] },
  },
  {
    name: "skips ids that do not exist when deleting",
    cli: ["delete", "nope-405", "tmpl-006", "--yes"],
    web: { delete: { target: { ids: ["nope-405", "tmpl-006"] }, confirmed: true } },
    expected: { done: ["tmpl-006"], skipped: skip(DELETE_SKIP_REASONS.missing, "nope-405") },
  },
];

const SCORES: Record<string, number> = {
  "tmpl-001": 8, "tmpl-002": 7, "tmpl-003": 9, "tmpl-004": 6, "tmpl-005": 8, "tmpl-006": 5,
  "scen-001": 8, "scen-002": 6, "scen-003": 9,
  "edge-001": 8, "edge-002": 7, "edge-003": 9, "edge-004": 8, "edge-005": 9,
}; // prettier-ignore

/** The slug of the one workspace `seed` creates (createTestWorkspace's default name). */
const TEST_WORKSPACE_SLUG = "test-business";

/** The same starting state on any database. */
async function seed(handle: DatabaseHandle): Promise<void> {
  const { db } = handle;
  const workspaceId = (await createTestWorkspace(db)).id;
  await importPath({ db, workspaceId, target: SAMPLE, userId: "local:test" });
  await createPlan({ db, workspaceId, split: { template: 8, scenario: 4, edge_case: 5 } });
  for (const [conversationId, score] of Object.entries(SCORES)) {
    await db.update(conversations).set({ status: "generated", qualityScore: score, turnCount: 4 }).where(eq(conversations.conversationId, conversationId));
  }
  await startRun({ db, input: { workspaceId, selection: { ids: ["tmpl-008"] }, kind: "live", provider: "simulated", model: "simulated-composer-1", userId: "local:test", concurrency: 1 } });
  await db.update(conversations).set({ status: "generating" }).where(eq(conversations.conversationId, "scen-004"));
}

/** Every conversation's human id, status, reviewer and notes, and the number of review_logs rows. */
async function snapshot(handle: DatabaseHandle) {
  const rows = await handle.db
    .select({ id: conversations.conversationId, status: conversations.status, reviewerId: conversations.reviewerId, notes: conversations.reviewerNotes })
    .from(conversations)
    .orderBy(asc(conversations.conversationId));
  const [logs] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(reviewLogs);
  return { rows, reviewLogs: Number(logs.n) };
}

let cliDatabase: { args: string[]; env: Record<string, string | undefined>; open: () => Promise<DatabaseHandle>; drop: () => Promise<void> };
let web: DatabaseHandle;
const savedEnv: Record<string, string | undefined> = {};

/** Runs `brightrun <args>` in this process and returns what it printed, as the user reads it. */
async function cliDoor(args: string[]): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const env = { ...process.env };
  Object.assign(process.env, cliDatabase.env);
  for (const [key, value] of Object.entries(cliDatabase.env)) if (value === undefined) delete process.env[key];
  let code: number;
  try {
    code = await runCli([...args, ...cliDatabase.args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = env;
  }
  if (code !== 0) {
    const refusal = /^Error: (.*)$/m.exec(stderr);
    expect(refusal, `brightrun ${args.join(" ")} failed without an error line: ${stderr}`).not.toBeNull();
    return { refused: (refusal as RegExpExecArray)[1] };
  }
  const head = /^(\d+) conversations? (?:approved|rejected|deleted)(?:: (.*))?\.$/m.exec(stdout);
  expect(head, `brightrun ${args.join(" ")} printed: ${stdout}${stderr}`).not.toBeNull();
  const done = head?.[2] ? head[2].split(", ") : [];
  expect(done).toHaveLength(Number(head?.[1]));
  const skipped = [...stderr.matchAll(/^ {2}(\d+) skipped: (.*) \(([^()]*)\)\.$/gm)].flatMap((m) => m[3].split(", ").map((conversationId) => ({ conversationId, reason: m[2] })));
  return { done, skipped };
}

/** Runs the dashboard's server action (parse, permission guard, operation) and returns what the page shows. */
async function webDoor(input: DoorCase["web"]): Promise<Outcome> {
  const result = "review" in input ? await reviewConversationsAction(TEST_WORKSPACE_SLUG, input.review) : await deleteConversationsAction(TEST_WORKSPACE_SLUG, input.delete);
  if (!result.ok) return { refused: result.error.message };
  const data = result.data as ReviewOutcome | DeleteOutcome;
  return { done: "reviewed" in data ? data.reviewed : data.deleted, skipped: data.skipped };
}

function sorted(outcome: Outcome): Outcome {
  if ("refused" in outcome) return outcome;
  return { done: [...outcome.done].sort(), skipped: [...outcome.skipped].sort((a, b) => a.conversationId.localeCompare(b.conversationId)) };
}

describe(`review and delete rules, the same through the CLI and the dashboard (${testDatabaseKind()})`, () => {
  beforeAll(async () => {
    for (const key of ["BRIGHTRUN_USER", "DATABASE_URL", "BRIGHTRUN_DATA_DIR"]) savedEnv[key] = process.env[key];
    process.env.BRIGHTRUN_USER = USER;
    delete process.env.DATABASE_URL;
    delete process.env.BRIGHTRUN_DATA_DIR;

    const postgres = await createTestDatabaseUrl();
    if (postgres) {
      cliDatabase = { args: [], env: { DATABASE_URL: postgres.url }, open: () => openDatabase({ url: postgres.url }), drop: postgres.drop };
    } else {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-doors-"));
      cliDatabase = { args: ["--data-dir", dataDir], env: { DATABASE_URL: undefined }, open: () => openDatabase({ dataDir }), drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
    }
    const cli = await cliDatabase.open();
    try {
      await migrateDatabase(cli);
      await seed(cli);
    } finally {
      await cli.close(); // the CLI opens it itself, one command at a time
    }
    web = await createTestDatabase();
    await seed(web);
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = Promise.resolve(web);
    // Server actions and routes run as the local owner (the guard's seam for code outside a web request).
    setProcessPrincipal(localOwner());
  });

  afterAll(async () => {
    (globalThis as Record<symbol, unknown>)[DATABASE_KEY] = undefined;
    setProcessPrincipal(null);
    await web?.close();
    await cliDatabase?.drop();
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  for (const doorCase of CASES) {
    it(doorCase.name, async () => {
      const expected = sorted(doorCase.expected);
      expect(sorted(await cliDoor(doorCase.cli)), `brightrun ${doorCase.cli.join(" ").slice(0, 120)}`).toEqual(expected);
      expect(sorted(await webDoor(doorCase.web)), "the dashboard").toEqual(expected);
    });
  }

  it("leaves both databases holding the same conversations in the same states, with the same audit trail", async () => {
    const cli = await cliDatabase.open();
    try {
      const [fromCli, fromWeb] = [await snapshot(cli), await snapshot(web)];
      expect(fromCli.rows).toEqual(fromWeb.rows);
      expect(fromCli.reviewLogs).toBe(fromWeb.reviewLogs);
      // Who reviewed is the one local user at either door (seeds keep their importer).
      expect(new Set(fromCli.rows.filter((r) => !r.id.startsWith("seed-")).map((r) => r.reviewerId).filter(Boolean))).toEqual(new Set([`local:${USER}`]));
      const edgeCases = fromWeb.rows.filter((r) => ["edge-001", "edge-002", "edge-003", "edge-004", "edge-005"].includes(r.id));
      expect(Object.fromEntries(edgeCases.map((r) => [r.id, r.status]))).toEqual({
        "edge-001": "approved",
        "edge-002": "approved",
        "edge-003": "rejected",
        "edge-004": "rejected",
        "edge-005": "generated",
      });
      const kept = await web.db.select({ id: conversations.conversationId }).from(conversations).where(inArray(conversations.conversationId, ["tmpl-004", "scen-002", "tmpl-006"]));
      expect(kept).toEqual([]);
    } finally {
      await cli.close();
    }
  });
});
