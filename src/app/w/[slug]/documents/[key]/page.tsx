import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, Download } from "lucide-react";
import { isAppError } from "@/core/errors";
import { DeleteDocumentButton } from "@/components/documents/delete-document-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { describeDimensions } from "@/lib/chunk-dimensions";
import { formatDateTime, pluralize } from "@/lib/format";
import { workspacePaths } from "@/lib/workspace-paths";
import { loadDocumentDetail } from "@/server/documents";
import { PageProblem } from "@/components/page-problem";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ slug: string; key: string }> }) {
  const { key } = await params;
  return { title: `${decodeURIComponent(key)} · Documents · Bright Run` };
}

/** /w/:slug/documents/:key — one document's chunks in order: text, summary, key terms, dimensions, and how many conversations each fed (US10.1.1). */
export default async function DocumentPage({ params }: { params: Promise<{ slug: string; key: string }> }) {
  const { slug, key } = await params;
  const paths = workspacePaths(slug);
  let detail: Awaited<ReturnType<typeof loadDocumentDetail>> = null;
  let problem: string | null = null;
  try {
    detail = await loadDocumentDetail(slug, decodeURIComponent(key));
    if (!detail) notFound();
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-5xl space-y-6 p-6">
      <Link href={paths.documents} className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft aria-hidden className="size-4" />
        Documents
      </Link>
      {problem || !detail ? (
        <PageProblem>{problem}</PageProblem>
      ) : (
        <>
          <header className="space-y-1">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <h1 className="text-2xl font-bold">{detail.document.title}</h1>
              <div className="flex items-center gap-2">
                <Button asChild variant="outline" size="sm">
                  <a href={paths.api.traceability(detail.document.key)} download>
                    <Download aria-hidden className="size-4" />
                    Traceability (CSV)
                  </a>
                </Button>
                <DeleteDocumentButton documentKey={detail.document.key} title={detail.document.title} chunks={detail.chunks.length} conversations={detail.conversations} />
              </div>
            </div>
            <p className="text-sm text-muted-foreground">
              {detail.document.category} · key {detail.document.key} · {pluralize(detail.chunks.length, "chunk")} · ~{detail.document.tokens.toLocaleString("en-US")} tokens · source{" "}
              {detail.document.sourcePath ?? "unknown"} · updated {formatDateTime(detail.document.updatedAt)} ·{" "}
              {detail.conversations > 0 ? (
                <Link href={paths.conversations(`document=${encodeURIComponent(detail.document.key)}`)} className="text-primary underline-offset-4 hover:underline">
                  {pluralize(detail.conversations, "conversation")} planned from it
                </Link>
              ) : (
                "no conversations planned from it"
              )}
            </p>
          </header>
          <ol className="space-y-4" aria-label="Chunks">
            {detail.chunks.map((chunk, index) => {
              const dimensions = describeDimensions(chunk.dimensions);
              return (
                <li key={chunk.key} id={`chunk-${chunk.ordinal}`} className="scroll-mt-16 space-y-2 rounded-lg border p-4" aria-label={`Chunk ${index + 1}`}>
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <h2 className="font-semibold">
                      {chunk.heading ? `${index + 1}. ${chunk.heading}` : `Chunk ${index + 1}`}
                    </h2>
                    <p className="text-xs text-muted-foreground">
                      {chunk.key} · ~{chunk.tokens.toLocaleString("en-US")} tokens ·{" "}
                      {chunk.conversations > 0 ? `fed ${pluralize(chunk.conversations, "conversation")}` : "no conversations yet"}
                    </p>
                  </div>
                  {chunk.summary && <p className="text-sm"><span className="font-medium">Summary:</span> {chunk.summary}</p>}
                  {chunk.keyTerms.length > 0 && (
                    <div className="flex flex-wrap items-center gap-1 text-sm">
                      <span className="font-medium">Key terms:</span>
                      {chunk.keyTerms.map((term) => (
                        <Badge key={term} variant="secondary">
                          {term}
                        </Badge>
                      ))}
                    </div>
                  )}
                  {dimensions.length > 0 && (
                    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
                      {dimensions.map(([label, value]) => (
                        <div key={label} className="flex gap-1">
                          <dt className="text-muted-foreground">{label}:</dt>
                          <dd>{value}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                  <details className="text-sm">
                    <summary className="cursor-pointer text-muted-foreground">Text</summary>
                    <p className="mt-2 whitespace-pre-line">{chunk.content}</p>
                  </details>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}
