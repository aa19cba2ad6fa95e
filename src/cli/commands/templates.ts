import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { versionLabel } from "../../core/templates/template-lifecycle";
import { TEMPLATE_STATUS_LABELS, TIER_LABELS } from "../../lib/constants";
import {
  activateTemplate,
  deactivateTemplate,
  diffTemplateVersions,
  getTemplateEditorData,
  listTemplateItems,
  type TemplateContext,
  type TemplateListItem,
} from "../../server/templates";
import { commonArgs, say, withWorkspace, type WorkspaceCommandEnvironment } from "../context";

/**
 * `brightrun templates`: the prompt templates of a workspace (issue 11 item 8), over the same
 * server module as the Templates page (src/server/templates.ts). `templates test` is added beside
 * these subcommands by the template-test command.
 */

const keyArg = { key: { type: "positional", description: "Template key (from `brightrun templates list`).", required: true } } as const;

function versionNumber(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AppError("invalid_input", `${what} must be a version number such as 2 (got "${value}").`);
  return n;
}

function templateContext({ handle, workspace, user }: WorkspaceCommandEnvironment): TemplateContext {
  return { db: handle.db, workspace, userId: user.id };
}

const quality = (t: TemplateListItem) => (t.averageQuality === null ? "—" : t.averageQuality.toFixed(1));
const approval = (t: TemplateListItem) => (t.approvalRate === null ? "—" : `${Math.round(t.approvalRate * 100)} %`);

const list = defineCommand({
  meta: { name: "list", description: "The workspace's prompt templates: tier, version, status, default, usage, average quality and approval rate." },
  args: { ...commonArgs, json: { type: "boolean", description: "Print JSON: [{ key, name, tier, status, default, current_version, latest_version, used_by, average_quality, approval_rate }]." } },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const rows = await listTemplateItems({ db: handle.db, workspaceId: workspace.id });
      if (args.json) {
        say(
          JSON.stringify(
            rows.map((t) => ({
              key: t.key,
              name: t.name,
              tier: t.tier,
              status: t.status,
              default: t.isDefault,
              current_version: t.currentVersion,
              latest_version: t.latestVersion,
              used_by: t.usageCount,
              average_quality: t.averageQuality,
              approval_rate: t.approvalRate,
            })),
            null,
            2,
          ),
        );
        return;
      }
      if (!rows.length) {
        say("No prompt templates yet. Write one on the Templates page or import a templates file (brightrun import templates.json).");
        return;
      }
      const width = Math.max(3, ...rows.map((t) => t.key.length));
      say(`   ${"KEY".padEnd(width)}  ${"TIER".padEnd(9)}  ${"VERSION".padEnd(14)}  ${"STATUS".padEnd(8)}  USED  QUALITY  APPROVAL  NAME`);
      for (const t of rows) {
        say(
          `${t.isDefault ? "★" : " "}  ${t.key.padEnd(width)}  ${TIER_LABELS[t.tier].padEnd(9)}  ${versionLabel({ current: t.currentVersion, latest: t.latestVersion }).padEnd(14)}  ${TEMPLATE_STATUS_LABELS[t.status].padEnd(8)}  ${String(t.usageCount).padStart(4)}  ${quality(t).padStart(7)}  ${approval(t).padStart(8)}  ${t.name}`,
        );
      }
      say("★ = the tier's default.");
    });
  },
});

const show = defineCommand({
  meta: { name: "show", description: "One template: its details and one version's system prompt, template text and settings (default: the current version)." },
  args: {
    ...commonArgs,
    ...keyArg,
    version: { type: "string", description: "Show this version instead of the current one.", valueHint: "N" },
    json: { type: "boolean", description: "Print JSON: the template and the version, with every version's number, author, time, note and test result." },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      const data = await getTemplateEditorData({ db: handle.db, workspace, key: args.key });
      const t = data.template!;
      const wanted = versionNumber(args.version, "--version") ?? t.currentVersion;
      const v = data.versions.find((x) => x.version === wanted);
      if (!v) throw new AppError("template_version_not_found", `"${t.draft.name}" has no version ${wanted}. It has ${data.versions.map((x) => `v${x.version}`).join(", ")}.`);
      if (args.json) {
        const { draft, ...rest } = t;
        say(JSON.stringify({ ...rest, name: draft.name, description: draft.description, tier: draft.tier, applicable_personas: draft.applicablePersonas, applicable_arcs: draft.applicableArcs, version: v, versions: data.versions.map(({ systemPrompt: _s, templateText: _t, ...meta }) => meta) }, null, 2));
        return;
      }
      say(`${t.draft.name} (${t.key}) · ${TIER_LABELS[t.draft.tier]} · ${TEMPLATE_STATUS_LABELS[t.status]}${t.isDefault ? " · default" : ""} · ${versionLabel({ current: t.currentVersion, latest: t.latestVersion })}`);
      if (t.draft.description) say(t.draft.description);
      say(`Personas: ${t.draft.applicablePersonas.length ? t.draft.applicablePersonas.join(", ") : "all"} · Arcs: ${t.draft.applicableArcs.length ? t.draft.applicableArcs.join(", ") : "all"}`);
      say("");
      say(`Version ${v.version}${v.isCurrent ? " (current)" : v.version > t.currentVersion ? " (draft, not in use)" : ""} by ${v.author || "unknown"} at ${v.createdAt}${v.changeNote ? `: ${v.changeNote}` : ""}`);
      say(`Test: ${v.lastTest ? (v.lastTest.ok ? `passed${v.lastTest.qualityScore !== null ? `, quality ${v.lastTest.qualityScore}` : ""}` : `failed: ${v.lastTest.error ?? "invalid reply"}`) : "never tested"}`);
      say(`max_tokens ${v.maxTokens} · temperature ${v.temperature}`);
      say("");
      say("--- system prompt ---");
      say(v.systemPrompt);
      say("");
      say("--- template text ---");
      say(v.templateText);
      say("");
      say(`Versions: ${data.versions.map((x) => `v${x.version}${x.isCurrent ? "*" : ""}`).join(" ")} (* = current)`);
    });
  },
});

const diff = defineCommand({
  meta: { name: "diff", description: "Unified diff between two versions of a template: settings, system prompt and template text." },
  args: {
    ...commonArgs,
    ...keyArg,
    a: { type: "positional", description: "The older version number.", required: true },
    b: { type: "positional", description: "The newer version number.", required: true },
  },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "read" }, async ({ handle, workspace }) => {
      say(await diffTemplateVersions({ db: handle.db, workspaceId: workspace.id, key: args.key, a: versionNumber(args.a, "The first version")!, b: versionNumber(args.b, "The second version")! }));
    });
  },
});

const activate = defineCommand({
  meta: { name: "activate", description: "Activate a template with its newest version (or --version N) current. Refused when the workspace requires a successful test and that version has none." },
  args: { ...commonArgs, ...keyArg, version: { type: "string", description: "Make this version current.", valueHint: "N" } },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "import" }, async (ctx) => {
      const result = await activateTemplate(templateContext(ctx), { key: args.key, version: versionNumber(args.version, "--version") });
      say(result.message);
    });
  },
});

const deactivate = defineCommand({
  meta: { name: "deactivate", description: "Deactivate a template: planning and generation stop using it; its conversations keep it." },
  args: { ...commonArgs, ...keyArg },
  async run({ args }) {
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "import" }, async (ctx) => {
      say((await deactivateTemplate(templateContext(ctx), { key: args.key })).message);
    });
  },
});

/** The subcommands; `test` , written apart, is added to them at the CLI index. */
export const templateSubCommands = {
  list,
  show,
  diff,
  activate,
  deactivate,
  test: () => import("./templates-test").then((m) => m.templatesTestCommand),
};

export default defineCommand({
  meta: { name: "templates", description: "Prompt templates: list, show, diff two versions, test, activate, deactivate." },
  subCommands: templateSubCommands,
});
