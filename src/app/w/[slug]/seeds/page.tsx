import Link from "next/link";
import { RoleNotice } from "@/components/accounts/role-notice";
import { Lock } from "lucide-react";
import { isAppError } from "@/core/errors";
import { SeedComparison } from "@/components/seeds/seed-comparison";
import { SeedTemplateActions } from "@/components/seeds/seed-template-actions";
import { SeedUploader } from "@/components/seeds/seed-uploader";
import { SeedVariationsTable } from "@/components/seeds/seed-variations-table";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDate, pluralize } from "@/lib/format";
import { workspacePaths } from "@/lib/workspace-paths";
import { loadSeedsPage, type SeedsPageData } from "@/server/seeds";
import { PageProblem } from "@/components/page-problem";

// Reads the live database on every request.
export const dynamic = "force-dynamic";

export const metadata = { title: "Seeds · Bright Run" };

/**
 * /seeds — seed conversations (issue 10 item 4, US10.3.1): add them, list them (locked), compare
 * generated conversations with them; use one as a template and generate variations of it, compared
 * with the seed (issue 11 item 7, US10.3.2).
 */
export default async function SeedsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  let data: SeedsPageData | null = null;
  let problem: string | null = null;
  try {
    data = await loadSeedsPage(slug);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.message;
  }
  return (
    <div className="mx-auto max-w-7xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Seeds</h1>
        <p className="text-muted-foreground">
          Hand-written conversations that show what good looks like. They are locked (they can&rsquo;t be deleted or changed), approved on import, left out of bulk generation and included in exports.
        </p>
      </header>
      <RoleNotice permission="import" />
      {problem ? (
        <PageProblem>{problem}</PageProblem>
      ) : (
        data && (
          <>
            <SeedUploader taxonomy={data.taxonomy} />
            <SeedList slug={slug} data={data} />
            <SeedVariationsTable slug={slug} seeds={data.seeds} variations={data.variations} />
            <SeedComparison comparison={data.comparison} />
          </>
        )
      )}
    </div>
  );
}

function SeedList({ slug, data }: { slug: string; data: SeedsPageData }) {
  const { seeds, variations, workerProblem } = data;
  const paths = workspacePaths(slug);
  return (
    <section aria-labelledby="seed-list" className="space-y-3">
      <div className="flex items-center justify-between gap-2">
        <h2 id="seed-list" className="text-lg font-semibold">
          Seed conversations <span className="text-sm font-normal text-muted-foreground">{pluralize(seeds.length, "seed")}</span>
        </h2>
        {seeds.length > 0 && (
          <Button asChild variant="outline" size="sm">
            <Link href={paths.conversations("seed=yes")}>Open in the conversations table</Link>
          </Button>
        )}
      </div>
      {seeds.length === 0 ? (
        <p className="rounded-lg border p-6 text-center text-sm text-muted-foreground">No seeds yet. Paste a conversation you wrote, or upload a file of them above.</p>
      ) : (
        <div className="rounded-lg border">
          <Table aria-label="Seed conversations">
            <TableHeader>
              <TableRow>
                <TableHead className="w-10">
                  <span className="sr-only">Locked</span>
                </TableHead>
                <TableHead>Seed</TableHead>
                <TableHead>Persona</TableHead>
                <TableHead>Emotional arc</TableHead>
                <TableHead>Topic</TableHead>
                <TableHead className="text-right">Turns</TableHead>
                <TableHead className="text-right">Quality</TableHead>
                <TableHead>Added</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Template actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {seeds.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>
                    <Lock aria-label="Locked seed: can't be deleted or changed" role="img" className="size-4 text-muted-foreground" />
                  </TableCell>
                  <TableCell className="min-w-48 max-w-96 whitespace-normal">
                    <div className="font-medium">{s.title ?? s.conversationId}</div>
                    <div className="font-mono text-xs text-muted-foreground">{s.conversationId}</div>
                  </TableCell>
                  <TableCell className="whitespace-normal">{s.persona}</TableCell>
                  <TableCell className="whitespace-normal">{s.emotion}</TableCell>
                  <TableCell className="whitespace-normal">{s.topic}</TableCell>
                  <TableCell className="text-right tabular-nums">{s.turnCount}</TableCell>
                  <TableCell className="text-right tabular-nums">{s.qualityScore === null ? "—" : s.qualityScore.toFixed(1)}</TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">{formatDate(s.createdAt)}</TableCell>
                  <TableCell className="text-right">
                    <SeedTemplateActions seed={{ id: s.id, conversationId: s.conversationId, title: s.title }} hasTemplate={Boolean(variations[s.id])} workerProblem={workerProblem} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
