import { isAppError } from "@/core/errors";
import { PageProblem } from "@/components/page-problem";
import { TemplateWorkbench } from "@/components/templates/template-workbench";
import { TIERS, type Tier } from "@/lib/constants";
import { blankTemplateDraft, loadTemplateEditor, type TemplateEditorData } from "@/server/templates";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "New template · Bright Run" };

/** /templates/new — write a new prompt template (issue 11 item 2). `?tier=scenario|edge_case` preselects the tier. */
export default async function NewTemplatePage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const tierParam = (await searchParams).tier;
  const tier: Tier = (TIERS as readonly string[]).includes(String(tierParam)) ? (tierParam as Tier) : "template";
  let data: TemplateEditorData | null = null;
  let problem: string | null = null;
  try {
    data = await loadTemplateEditor(slug, null);
    if (data.archived) problem = "This workspace is archived, so no template can be added. Restore it from the workspace menu first.";
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-[90rem] space-y-4 p-6">
      <h1 className="text-2xl font-bold">New template</h1>
      {problem ? <PageProblem>{problem}</PageProblem> : data && <TemplateWorkbench data={data} initialDraft={blankTemplateDraft(tier)} readOnly={false} />}
    </div>
  );
}
