/**
 * `brightrun workspaces categories SLUG [--set "A,B,C"] [--reset]` run as a user runs it: the real
 * binary on a fresh data directory. It prints the list the Documents page offers, saves a new one,
 * and refuses a bad one with the same plain-English message as the Settings page, changing nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";
import { runBrightrun } from "../support/app-process";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-categories-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

function brightrun(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "" };
  delete env.BRIGHTRUN_WORKSPACE;
  return runBrightrun(args, { cwd: work, env });
}

describe(`brightrun workspaces categories (${testDatabaseKind()})`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    expect(brightrun("workspaces", "create", "Acme Bakery", "--slug", "acme").code).toBe(0);
  });

  afterAll(async () => {
    await database?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("prints the built-in list, saves a new one, refuses a bad one and goes back with --reset", () => {
    const first = brightrun("workspaces", "categories", "acme");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Document categories of acme (the built-in list):\n  Complete Systems\n  Proprietary Strategies\n  Client Stories\n");

    const set = brightrun("workspaces", "categories", "acme", "--set", " Recipes, Suppliers ,Customer Stories,");
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("Documents keep their own category");
    expect(JSON.parse(brightrun("workspaces", "categories", "acme", "--json").stdout)).toEqual({
      slug: "acme",
      categories: ["Recipes", "Suppliers", "Customer Stories"],
      is_default: false,
    });

    const bad = brightrun("workspaces", "categories", "acme", "--set", "Recipes,recipes");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(`"Recipes" and "recipes" are the same category (capital letters don't make categories different): keep one.`);
    expect(JSON.parse(brightrun("workspaces", "categories", "acme", "--json").stdout).categories).toEqual(["Recipes", "Suppliers", "Customer Stories"]);

    expect(brightrun("workspaces", "categories", "acme", "--reset").stdout).toContain("(the built-in list)");
  });
});
