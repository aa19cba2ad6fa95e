import { isAppError } from "@/core/errors";
import { PageProblem } from "@/components/page-problem";
import { TemplateWorkbench } from "@/components/templates/template-workbench";
import { loadTemplateEditor, type TemplateEditorData } from "@/server/templates";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Template · Bright Run" };

/** /templates/<key> — one template's editor, preview, test and history (issue 11 items 2–5). */
export default async function TemplatePage({ params }: { params: Promise<{ slug: string; key: string }> }) {
  const { slug, key } = await params;
  let data: TemplateEditorData | null = null;
  let problem: string | null = null;
  try {
    data = await loadTemplateEditor(slug, decodeURIComponent(key));
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-[90rem] space-y-4 p-6">
      <h1 className="text-2xl font-bold">{data?.template ? data.template.draft.name : "Template"}</h1>
      {problem ? <PageProblem>{problem}</PageProblem> : data?.template && <TemplateWorkbench data={data} initialDraft={data.template.draft} readOnly={data.archived} />}
    </div>
  );
}
