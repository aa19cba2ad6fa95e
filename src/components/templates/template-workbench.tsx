"use client";
/**
 * The editor page's client side (issue 11): the template editor with its right-hand pane. A server
 * page cannot hand functions to a client component, so the preview and "Test Template" panels are
 * mounted here, through the editor's renderPreview / renderTest slots, each given the current
 * unsaved draft, the saved template id and version, and onTested.
 */
import type { TemplateDraft } from "@/lib/template-draft";
import type { TemplateEditorData } from "@/server/templates";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { TemplateEditor } from "./template-editor";
import { TemplatePreviewPane } from "./template-preview-pane";
import { TemplateTestPanel } from "./template-test-panel";

export function TemplateWorkbench({ data, initialDraft, readOnly }: { data: TemplateEditorData; initialDraft: TemplateDraft; readOnly: boolean }) {
  const { slug } = useWorkspace();
  return (
    <TemplateEditor
      // A new version (save, restore) reopens the editor on it.
      key={data.template ? `${data.template.key}:${data.template.latestVersion}` : "new"}
      data={data}
      initialDraft={initialDraft}
      readOnly={readOnly}
      renderPreview={({ draft, templateId, version }) => <TemplatePreviewPane slug={slug} templateId={templateId} version={version} draft={draft} />}
      renderTest={({ draft, templateId, version, onTested }) => <TemplateTestPanel slug={slug} templateId={templateId} version={version} draft={draft} onTested={onTested} />}
    />
  );
}
