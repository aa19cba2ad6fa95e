/**
 * `brightrun templates list|show|diff|activate|deactivate` (issue 11 item 8), run as a user runs
 * them (the real binary, a fresh database), over the same server module as the Templates page.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBrightrun } from "../support/app-process";
import { createTestDatabaseUrl, testDatabaseKind } from "../support/test-database";

const SAMPLE = path.resolve(__dirname, "../../examples/financial-planning");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "brightrun-cli-templates-"));
let database: Awaited<ReturnType<typeof createTestDatabaseUrl>> = null;

function brightrun(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, BRIGHTRUN_DATA_DIR: path.join(work, "data"), DATABASE_URL: database?.url ?? "", BRIGHTRUN_WORKSPACE: "" };
  return runBrightrun(args, { cwd: work, env });
}

describe(`brightrun templates (${testDatabaseKind()})`, { timeout: 420_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabaseUrl();
    const imported = brightrun("import", SAMPLE);
    expect(imported.code, imported.stderr).toBe(0);
    // A second version of the Tier 1 template, as a re-import makes one.
    const file = JSON.parse(fs.readFileSync(path.join(SAMPLE, "templates.json"), "utf8")) as { templates: Array<{ key: string; template_text: string; temperature: number }> };
    const tier1 = file.templates.find((t) => t.key === "template-default")!;
    tier1.template_text = tier1.template_text.replace("Reply only with the JSON object", "Keep every turn plain.\n\nReply only with the JSON object");
    tier1.temperature = 0.6;
    fs.writeFileSync(path.join(work, "templates.json"), JSON.stringify({ templates: [tier1] }));
    const second = brightrun("import", path.join(work, "templates.json"));
    expect(second.code, second.stderr).toBe(0);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("lists the templates with version, status and figures, as text and JSON", () => {
    const listed = brightrun("templates", "list");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/★\s+template-default\s+Template\s+v2\s+Active\s+\d+\s+—\s+—\s+Emotional arc conversation \(default\)/);
    const json = brightrun("templates", "list", "--json");
    const rows = JSON.parse(json.stdout) as Array<{ key: string; current_version: number; status: string; default: boolean; approval_rate: number | null }>;
    expect(rows.find((r) => r.key === "template-default")).toMatchObject({ current_version: 2, status: "active", default: true, approval_rate: null });
  });

  it("shows a version, diffs two versions, activates an old one and deactivates", () => {
    const shown = brightrun("templates", "show", "template-default", "--version", "1");
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Version 1 by import/);
    expect(shown.stdout).toMatch(/temperature 0\.8/);
    expect(shown.stdout).not.toMatch(/Keep every turn plain\./);

    const diff = brightrun("templates", "diff", "template-default", "1", "2");
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/^--- template-default v1/m);
    expect(diff.stdout).toMatch(/^\+\+\+ template-default v2/m);
    expect(diff.stdout).toMatch(/^-temperature: 0\.8$/m);
    expect(diff.stdout).toMatch(/^\+temperature: 0\.6$/m);
    expect(diff.stdout).toMatch(/^\+Keep every turn plain\.$/m);

    const missing = brightrun("templates", "diff", "template-default", "1", "9");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/has no version 9/);

    const activated = brightrun("templates", "activate", "template-default", "--version", "1");
    expect(activated.code, activated.stderr).toBe(0);
    expect(activated.stdout).toMatch(/Activated "Emotional arc conversation \(default\)" v1/);
    expect(brightrun("templates", "list").stdout).toMatch(/template-default\s+Template\s+v1 · v2 draft\s+Active/);

    const deactivated = brightrun("templates", "deactivate", "template-default");
    expect(deactivated.stdout).toMatch(/Deactivated/);
    expect(brightrun("templates", "list").stdout).toMatch(/template-default\s+Template\s+v1 · v2 draft\s+Inactive/);
    const unknown = brightrun("templates", "show", "no-such-template");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/There is no template "no-such-template" in this workspace/);
  });
});
