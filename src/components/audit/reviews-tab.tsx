/**
 * The audit page's Reviews tab (US9.3.2): review activity per reviewer (approved / rejected /
 * undone) in the chosen days, and the compliance report "every exported conversation was
 * approved by a reviewer": yes, or each exception with its export and why. The review log itself
 * (every event, of one conversation when named) downloads as CSV.
 */
import { UserName } from "@/components/accounts/user-names";
import Link from "next/link";
import { CheckCircle2, Download, TriangleAlert } from "lucide-react";
import { serializeAuditParams, type AuditState } from "@/lib/audit-params";
import { pluralize } from "@/lib/format";
import { workspacePaths } from "@/lib/workspace-paths";
import { COMPLIANCE_REASON_LABELS, type ComplianceReport, type ReviewActivityView } from "@/server/audit";
import { Button, buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EmptyState, fieldClass, FilterField, UtcTime } from "./audit-parts";

/** Exceptions listed on the page; the rest are counted. */
const EXCEPTIONS_SHOWN = 200;

function Compliance({ slug, state, report }: { slug: string; state: AuditState; report: ComplianceReport }) {
  const paths = workspacePaths(slug);
  const ok = report.exceptions.length === 0 && report.unverifiable.length === 0;
  return (
    <section aria-labelledby="compliance-heading" className="space-y-3">
      <h2 id="compliance-heading" className="text-lg font-semibold">
        Compliance: was every exported conversation approved by a reviewer?
      </h2>
      {report.exports === 0 ? (
        <EmptyState>No exports {state.from || state.to ? "in these days" : "yet"}, so there is nothing to check.</EmptyState>
      ) : ok ? (
        <p role="status" className="flex items-center gap-2 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-100">
          <CheckCircle2 aria-hidden className="size-4 shrink-0" />
          Yes. Every one of the {pluralize(report.checked, "exported conversation")} in {pluralize(report.exports, "export")} was approved by a reviewer before it was exported.
        </p>
      ) : (
        <div role="status" className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
          <p>
            No. {pluralize(report.exceptions.length, "exported conversation")} of {report.checked.toLocaleString("en-US")} in {pluralize(report.exports, "export")} had not been approved by a reviewer when it was
            exported (its latest review before the export was not an approval, or it had none).
            {report.unverifiable.length > 0 && ` ${pluralize(report.unverifiable.length, "export")} cannot be checked: its log does not record which conversations it held.`}
          </p>
        </div>
      )}
      {report.exceptions.length > 0 && (
        <div className="rounded-lg border">
          <Table aria-label="Compliance exceptions">
            <TableHeader>
              <TableRow>
                <TableHead>Conversation</TableHead>
                <TableHead>Why</TableHead>
                <TableHead>Latest review before the export</TableHead>
                <TableHead>Export</TableHead>
                <TableHead>Exported (UTC)</TableHead>
                <TableHead>By</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {report.exceptions.slice(0, EXCEPTIONS_SHOWN).map((e) => (
                <TableRow key={`${e.exportId}:${e.conversationId}`}>
                  <TableCell className="font-mono text-xs">
                    <Link href={paths.conversations(`q=${encodeURIComponent(e.conversationId)}`)} title="Find it in the conversations table" className="underline underline-offset-4">
                      {e.conversationId}
                    </Link>
                  </TableCell>
                  <TableCell>{COMPLIANCE_REASON_LABELS[e.reason]}</TableCell>
                  <TableCell>{e.lastReviewAt ? <>{e.lastReviewBy}, <UtcTime iso={e.lastReviewAt} /></> : "None"}</TableCell>
                  <TableCell>
                    <Link href={paths.audit(serializeAuditParams(state, { tab: "exports", export: e.exportId, page: 1 }))} className="font-mono text-xs underline underline-offset-4">
                      {e.exportId.slice(0, 8)}
                    </Link>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    <UtcTime iso={e.exportedAt} />
                  </TableCell>
                  <TableCell>{e.exportedBy}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {report.exceptions.length > EXCEPTIONS_SHOWN && <p className="p-3 text-sm text-muted-foreground">And {report.exceptions.length - EXCEPTIONS_SHOWN} more.</p>}
        </div>
      )}
      {report.unverifiable.length > 0 && (
        <p className="text-sm text-muted-foreground">
          Not checkable (made before exports recorded their conversation ids):{" "}
          {report.unverifiable.map((u) => `${u.exportId.slice(0, 8)} (${u.exportedAt.slice(0, 10)})`).join(", ")}.
        </p>
      )}
    </section>
  );
}

/** The Reviews tab's body. */
export function ReviewsTab({ slug, state, activity, compliance }: { slug: string; state: AuditState; activity: ReviewActivityView[]; compliance: ComplianceReport }) {
  const paths = workspacePaths(slug);
  const filtered = Boolean(state.from || state.to);
  return (
    <div className="space-y-6">
      <form method="get" action={paths.audit()} aria-label="Review report filters" className="flex flex-wrap items-end gap-3 rounded-lg border p-4">
        <input type="hidden" name="tab" value="reviews" />
        <FilterField id="rv-from" label="From (UTC day)" className="w-44">
          <input id="rv-from" name="from" type="date" defaultValue={state.from ?? ""} className={fieldClass} />
        </FilterField>
        <FilterField id="rv-to" label="To (UTC day)" className="w-44">
          <input id="rv-to" name="to" type="date" defaultValue={state.to ?? ""} className={fieldClass} />
        </FilterField>
        <FilterField id="rv-conversation" label="Conversation id (CSV only)" className="w-52">
          <input id="rv-conversation" name="conversation" defaultValue={state.conversation ?? ""} placeholder="e.g. tmpl-004" className={fieldClass} />
        </FilterField>
        <Button type="submit" size="sm">
          Apply
        </Button>
        {(filtered || state.conversation) && (
          <Link href={paths.audit("tab=reviews")} className={buttonVariants({ variant: "ghost", size: "sm" })}>
            All time
          </Link>
        )}
        <a
          href={paths.api.auditReviewsCsv(serializeAuditParams(state, { tab: "reviews", page: 1, call: null, export: null, user: null }))}
          download
          className={buttonVariants({ variant: "outline", size: "sm", className: "ml-auto" })}
        >
          <Download aria-hidden />
          Download review log CSV
        </a>
      </form>
      <section aria-labelledby="activity-heading" className="space-y-3">
        <h2 id="activity-heading" className="text-lg font-semibold">
          Review activity per reviewer
        </h2>
        {activity.length === 0 ? (
          <EmptyState>No reviews {filtered ? "in these days" : "yet"}. Approvals, rejections and undos are counted here per reviewer.</EmptyState>
        ) : (
          <div className="rounded-lg border">
            <Table aria-label="Review activity per reviewer">
              <TableHeader>
                <TableRow>
                  <TableHead>Reviewer</TableHead>
                  <TableHead className="text-right">Approved</TableHead>
                  <TableHead className="text-right">Rejected</TableHead>
                  <TableHead className="text-right">Undone</TableHead>
                  <TableHead className="text-right">With a note</TableHead>
                  <TableHead>First (UTC)</TableHead>
                  <TableHead>Latest (UTC)</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {activity.map((a) => (
                  <TableRow key={a.reviewerId}>
                    <TableCell className="font-medium"><UserName id={a.reviewerId} /></TableCell>
                    <TableCell className="text-right tabular-nums">{a.approved}</TableCell>
                    <TableCell className="text-right tabular-nums">{a.rejected}</TableCell>
                    <TableCell className="text-right tabular-nums">{a.undone}</TableCell>
                    <TableCell className="text-right tabular-nums">{a.withNotes}</TableCell>
                    <TableCell className="whitespace-nowrap">
                      <UtcTime iso={a.firstAt} />
                    </TableCell>
                    <TableCell className="whitespace-nowrap">
                      <UtcTime iso={a.lastAt} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>
      <Compliance slug={slug} state={state} report={compliance} />
    </div>
  );
}
