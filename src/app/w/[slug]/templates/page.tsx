import { isAppError } from "@/core/errors";
import { RoleNotice } from "@/components/accounts/role-notice";
import { PageProblem } from "@/components/page-problem";
import { TemplateList } from "@/components/templates/template-list";
import { loadTemplatesPage } from "@/server/templates";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Templates · Bright Run" };

/** /templates — the workspace's prompt templates (issue 11 item 1; US7.1.1). */
export default async function TemplatesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  let data: Awaited<ReturnType<typeof loadTemplatesPage>> | null = null;
  let problem: string | null = null;
  try {
    data = await loadTemplatesPage(slug);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Templates</h1>
        <p className="text-muted-foreground">
          The prompts conversations are generated from, one or more per tier. Each save of an active template is a new version; quality and approval are averaged over the conversations each template generated.
        </p>
      </header>
      <RoleNotice permission="import" />
      {problem ? <PageProblem>{problem}</PageProblem> : data && <TemplateList templates={data.templates} requireTemplateTest={data.requireTemplateTest} readOnly={data.archived} />}
    </div>
  );
}
