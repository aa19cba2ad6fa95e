/**
 * `brightrun templates test KEY [--version N] [--conversation ID] [--json]` (issue 11 items 5 and 8):
 * one "Test Template" call for a saved template version through the workspace's model, as the
 * editor's Test Template sends it (src/core/templates/test-template.ts). Sample parameters unless
 * --conversation names a conversation. The lead registers it as the `test` subcommand of `templates`.
 */
import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { testTemplateDraft } from "../../core/templates/test-template";
import { comparisonLine } from "../../lib/template-test-comparison";
import type { TemplateDraft } from "../../lib/template-draft";
import { getConversationUuidByHumanId, getTemplateVersionByKey } from "../../server/db/queries/template-tests";
import { engineSettingsWithSettings, selectProviderWithSettings } from "../../server/settings/model-settings";
import { commonArgs, formatUsd, note, say, setExitCode, withWorkspace } from "../context";
import { describeProvider } from "../provider-line";

export const templatesTestCommand = defineCommand({
  meta: {
    name: "test",
    description:
      "Send one test request for a template version through the workspace's model and show the reply, whether it is valid, its quality score, cost and latency, compared with the active version. Logged and costed; kept as the version's last test.",
  },
  args: {
    ...commonArgs,
    key: { type: "positional", description: "Template key (from `brightrun templates list`).", required: true },
    version: { type: "string", description: "The version to test (default: the current one).", valueHint: "N" },
    conversation: { type: "string", description: "Resolve the parameters of this conversation (e.g. tmpl-004) instead of sample parameters.", valueHint: "ID" },
    sample: { type: "string", description: "Which sample of parameters to draw (default 1; the same number draws the same combination).", valueHint: "N" },
    provider: { type: "string", description: "Provider to use instead of the workspace's (anthropic, openai, simulated).", valueHint: "NAME" },
    model: { type: "string", description: "Model to use instead of the workspace's.", valueHint: "MODEL" },
    json: { type: "boolean", description: "Print JSON: { ok, valid, quality_score, cost_usd, latency_ms, provider, model, simulated, turns, raw_reply, error, comparison, stored_with_version, log_id }." },
  },
  async run({ args }) {
    const version = args.version === undefined ? undefined : wholeNumber(args.version, "--version");
    const seed = args.sample === undefined ? 1 : wholeNumber(args.sample, "--sample");
    await withWorkspace({ dataDir: args["data-dir"], workspace: args.workspace, permission: "generate" }, async ({ handle, workspace, user, settings }) => {
      const db = handle.db;
      const row = await getTemplateVersionByKey({ db, workspaceId: workspace.id, key: args.key, version });
      if (!row) {
        throw new AppError(
          "template_not_found",
          version === undefined ? `There is no template "${args.key}" in this workspace. See \`brightrun templates list\`.` : `Template "${args.key}" has no version ${version}. See \`brightrun templates show ${args.key}\`.`,
        );
      }
      let source: { kind: "conversation"; id: string } | { kind: "sample"; seed: number } = { kind: "sample", seed };
      if (args.conversation) {
        const id = await getConversationUuidByHumanId({ db, workspaceId: workspace.id, conversationId: args.conversation });
        if (!id) throw new AppError("conversation_not_found", `There is no conversation "${args.conversation}" in this workspace.`);
        source = { kind: "conversation", id };
      }
      const selection = await selectProviderWithSettings(db, workspace.id, { flags: { provider: args.provider, model: args.model } });
      const { priceOverrides } = await engineSettingsWithSettings(db, workspace.id, settings);
      if (!args.json) note(describeProvider(selection));
      const draft: TemplateDraft = {
        name: row.template.name,
        description: row.template.description,
        tier: row.template.tier,
        applicablePersonas: row.template.applicablePersonas,
        applicableArcs: row.template.applicableArcs,
        systemPrompt: row.version.systemPrompt,
        templateText: row.version.templateText,
        maxTokens: row.version.maxTokens,
        temperature: row.version.temperature,
      };
      const result = await testTemplateDraft({
        db,
        workspaceId: workspace.id,
        userId: user.id,
        draft,
        source,
        templateId: row.template.id,
        version: row.version.version,
        provider: selection.provider,
        model: selection.model,
        priceOverrides,
      });
      if (!result.summary.ok) setExitCode(1);
      if (args.json) {
        say(
          JSON.stringify(
            {
              ok: result.summary.ok,
              valid: result.turns !== null,
              quality_score: result.summary.qualityScore,
              cost_usd: result.summary.costUsd,
              latency_ms: result.summary.latencyMs,
              provider: result.summary.provider,
              model: result.summary.model,
              simulated: !result.languageModel,
              parameters: result.source?.label ?? null,
              turns: result.turns,
              raw_reply: result.rawReply,
              error: result.validationError,
              comparison: result.comparison,
              stored_with_version: result.storedWithVersion,
              log_id: result.summary.logId,
            },
            null,
            2,
          ),
        );
        return;
      }
      say(`Tested "${row.template.name}" v${row.version.version} with ${result.source?.label ?? "the chosen parameters"}.`);
      if (!result.request) {
        say(`✗ Not sent: ${result.validationError?.message}`);
        return;
      }
      say(result.summary.ok ? `✓ Valid reply: ${result.turns?.length ?? 0} turns.` : `✗ The reply is not usable: ${result.validationError?.message}`);
      if (result.quality) say(`Quality ${result.quality.score.toFixed(1)}/10 — ${result.quality.summary}`);
      say(`Cost ${result.summary.costUsd === null ? "unknown" : formatUsd(result.summary.costUsd)} · ${result.summary.latencyMs} ms · ${result.inputTokens} input / ${result.outputTokens} output tokens`);
      say(comparisonLine(result.quality?.score ?? null, result.comparison));
      if (result.turns) for (const turn of result.turns) say(`  ${turn.role === "user" ? "Customer " : "Assistant"}: ${turn.content.replace(/\s+/g, " ")}`);
      else if (result.rawReply !== null) say(`Raw reply:\n${result.rawReply}`);
      say(result.storedWithVersion ? `Kept as v${row.version.version}'s last test.` : (result.notStoredReason ?? ""));
    });
  },
});

function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new AppError("argument_invalid", `${flag} takes a whole number (got "${value}").`);
  return n;
}
