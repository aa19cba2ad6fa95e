import { notFound } from "next/navigation";
import { RoleNotice } from "@/components/accounts/role-notice";
import { isAppError } from "@/core/errors";
import { TaxonomyNav } from "@/components/taxonomy/taxonomy-nav";
import { TaxonomyView } from "@/components/taxonomy/taxonomy-view";
import { TAXONOMY_KIND_INFO, taxonomyKindFromSegment } from "@/lib/taxonomy-kinds";
import { loadTaxonomyPage, type TaxonomyPageData } from "@/server/taxonomy";
import { PageProblem } from "@/components/page-problem";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ kind: string }> }) {
  const kind = taxonomyKindFromSegment((await params).kind);
  return { title: `${kind ? TAXONOMY_KIND_INFO[kind].label : "Customers"} · Bright Run` };
}

/**
 * /w/:slug/taxonomy/:kind — who the customers are (issue 10, item 1): one page per kind (personas,
 * emotional arcs, topics, intents, tones, edge cases, outcomes) with a table to create, edit,
 * duplicate, archive / restore and delete entries; import and export of the whole taxonomy; the
 * starter taxonomy for a new workspace; persona and topic suggestions from the documents.
 */
export default async function TaxonomyKindPage({ params }: { params: Promise<{ slug: string; kind: string }> }) {
  const { slug, kind: segment } = await params;
  const kind = taxonomyKindFromSegment(segment);
  if (!kind) notFound();
  let data: TaxonomyPageData | null = null;
  let problem: string | null = null;
  try {
    data = await loadTaxonomyPage(slug, kind);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-5 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Customers</h1>
        <p className="text-muted-foreground">Who your customers are and what your conversations should cover: every conversation is planned from these.</p>
      </header>
      <RoleNotice permission="import" />
      <TaxonomyNav slug={slug} current={kind} />
      {problem ? (
        <PageProblem>{problem}</PageProblem>
      ) : (
        data && <TaxonomyView kind={kind} data={data} />
      )}
    </div>
  );
}
