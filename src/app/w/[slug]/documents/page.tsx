import Link from "next/link";
import { RoleNotice } from "@/components/accounts/role-notice";
import { isAppError } from "@/core/errors";
import { DocumentUploader } from "@/components/documents/document-uploader";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime, pluralize } from "@/lib/format";
import { workspacePaths } from "@/lib/workspace-paths";
import { loadDocumentList, type DocumentListItem } from "@/server/documents";
import { PageProblem } from "@/components/page-problem";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Documents · Bright Run" };

/** /documents — upload the business's own documents (previewed, then imported all or nothing) and list what is stored (issue 9, item 2). */
export default async function DocumentsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  let data: { documents: DocumentListItem[]; categories: string[] } | null = null;
  let problem: string | null = null;
  try {
    data = await loadDocumentList(slug);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Documents</h1>
        <p className="text-muted-foreground">Your own material: each document is cut into chunks, and conversations are planned from the chunks.</p>
      </header>
      <RoleNotice permission="import" />
      {problem ? (
        <PageProblem>{problem}</PageProblem>
      ) : (
        data && (
          <>
            <DocumentUploader categories={data.categories} />
            <DocumentTable slug={slug} documents={data.documents} />
          </>
        )
      )}
    </div>
  );
}

function DocumentTable({ slug, documents }: { slug: string; documents: DocumentListItem[] }) {
  const chunks = documents.reduce((sum, d) => sum + d.chunks, 0);
  return (
    <section aria-labelledby="stored-documents" className="space-y-3">
      <h2 id="stored-documents" className="text-lg font-semibold">
        Stored documents{" "}
        <span className="text-sm font-normal text-muted-foreground">
          {pluralize(documents.length, "document")}, {pluralize(chunks, "chunk")}
        </span>
      </h2>
      {documents.length === 0 ? (
        <p className="rounded-lg border p-6 text-center text-sm text-muted-foreground">No documents yet. Upload your guides, playbooks or client stories above.</p>
      ) : (
        <div className="rounded-lg border">
          <Table aria-label="Stored documents">
            <TableHeader>
              <TableRow>
                <TableHead>Title</TableHead>
                <TableHead>Category</TableHead>
                <TableHead className="text-right">Chunks</TableHead>
                <TableHead className="text-right">Tokens (est.)</TableHead>
                <TableHead>Source file</TableHead>
                <TableHead>Updated</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {documents.map((d) => (
                <TableRow key={d.key}>
                  <TableCell className="font-medium">
                    <Link href={workspacePaths(slug).document(d.key)} className="text-primary underline-offset-4 hover:underline">
                      {d.title}
                    </Link>
                    <div className="text-xs text-muted-foreground">{d.key}</div>
                  </TableCell>
                  <TableCell>{d.category}</TableCell>
                  <TableCell className="text-right tabular-nums">{d.chunks.toLocaleString("en-US")}</TableCell>
                  <TableCell className="text-right tabular-nums">{d.tokens.toLocaleString("en-US")}</TableCell>
                  <TableCell className="max-w-64 truncate text-muted-foreground" title={d.sourcePath ?? undefined}>
                    {d.sourcePath ?? "unknown"}
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">{formatDateTime(d.updatedAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
