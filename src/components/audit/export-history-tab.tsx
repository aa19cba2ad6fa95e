/**
 * The audit page's Export history tab (US5.2.2, US9.3.3): every export with its date, user,
 * conversation count, format and filter state in words; one opened with its manifest; Recreate
 * filters (the conversations table with the export's filters in its URL); Re-run; and the CSV.
 */
import { UserName } from "@/components/accounts/user-names";
import Link from "next/link";
import { Download, X } from "lucide-react";
import { serializeAuditParams, type AuditState } from "@/lib/audit-params";
import { workspacePaths } from "@/lib/workspace-paths";
import type { ExportHistoryView } from "@/server/audit";
import { Button, buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EmptyState, fieldClass, FilterField, Pager, UtcTime } from "./audit-parts";
import { RerunExportButton } from "./rerun-export-button";

export interface ExportHistoryData {
  rows: ExportHistoryView[];
  total: number;
  page: number;
  perPage: number;
  users: string[];
  opened: ExportHistoryView | null;
  openedMissing: boolean;
}

function FilterLines({ lines }: { lines: string[] }) {
  return (
    <ul className="space-y-0.5">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

function RecreateFilters({ slug, view }: { slug: string; view: ExportHistoryView }) {
  if (view.tableQuery === null) return <span className="text-xs text-muted-foreground">Filters unreadable</span>;
  return (
    <Link
      href={workspacePaths(slug).conversations(view.tableQuery)}
      title={view.tableQueryNote ?? undefined}
      aria-label={`Recreate filters of the export of ${view.exportedAt.slice(0, 16).replace("T", " ")} UTC`}
      className={buttonVariants({ variant: "outline", size: "sm" })}
    >
      Recreate filters
    </Link>
  );
}

function OpenedExport({ slug, state, view }: { slug: string; state: AuditState; view: ExportHistoryView }) {
  const paths = workspacePaths(slug);
  return (
    <section aria-labelledby="export-heading" className="space-y-4 rounded-lg border p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 id="export-heading" className="text-lg font-semibold">
          Export <span className="font-mono text-base">{view.exportId}</span>
        </h3>
        <div className="flex flex-wrap gap-2">
          <RecreateFilters slug={slug} view={view} />
          <RerunExportButton slug={slug} exportId={view.exportId} label={`the export of ${view.exportedAt.slice(0, 16).replace("T", " ")} UTC`} />
          <Link href={paths.audit(serializeAuditParams(state, { export: null }))} className={buttonVariants({ variant: "ghost", size: "sm" })}>
            <X aria-hidden />
            Close
          </Link>
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm md:grid-cols-4">
        <div>
          <dt className="text-xs text-muted-foreground">Exported</dt>
          <dd>
            <UtcTime iso={view.exportedAt} seconds />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted-foreground">By</dt>
          <dd><UserName id={view.userId} /></dd>
        </div>
        <div>
          <dt className="text-xs text-muted-foreground">Conversations</dt>
          <dd className="tabular-nums">{view.conversationCount.toLocaleString("en-US")}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted-foreground">Format</dt>
          <dd>{view.format}</dd>
        </div>
        <div className="col-span-2">
          <dt className="text-xs text-muted-foreground">Filters</dt>
          <dd>
            <FilterLines lines={view.filterLines} />
          </dd>
        </div>
        <div className="col-span-2">
          <dt className="text-xs text-muted-foreground">Checks</dt>
          <dd>{view.settingsLines.length ? <FilterLines lines={view.settingsLines} /> : "None"}</dd>
        </div>
      </dl>
      {view.tableQueryNote && <p className="text-sm text-muted-foreground">{view.tableQueryNote}</p>}
      <div className="space-y-1">
        <h4 className="text-sm font-semibold">Manifest</h4>
        <pre tabIndex={0} aria-label="Manifest" className="max-h-[28rem] overflow-auto rounded-md border bg-muted/40 p-3 text-xs leading-relaxed">
          {JSON.stringify(view.manifest, null, 2)}
        </pre>
      </div>
    </section>
  );
}

/** The Export history tab's body. */
export function ExportHistoryTab({ slug, state, data }: { slug: string; state: AuditState; data: ExportHistoryData }) {
  const paths = workspacePaths(slug);
  const filtered = Boolean(state.from || state.to || state.user);
  const csvQuery = serializeAuditParams(state, { tab: "exports", page: 1, export: null, call: null });
  return (
    <div className="space-y-4">
      <form method="get" action={paths.audit()} aria-label="Export history filters" className="flex flex-wrap items-end gap-3 rounded-lg border p-4">
        <input type="hidden" name="tab" value="exports" />
        <FilterField id="ex-from" label="From (UTC day)" className="w-44">
          <input id="ex-from" name="from" type="date" defaultValue={state.from ?? ""} className={fieldClass} />
        </FilterField>
        <FilterField id="ex-to" label="To (UTC day)" className="w-44">
          <input id="ex-to" name="to" type="date" defaultValue={state.to ?? ""} className={fieldClass} />
        </FilterField>
        <FilterField id="ex-user" label="User" className="w-44">
          <select id="ex-user" name="user" defaultValue={state.user ?? ""} className={fieldClass}>
            <option value="">Anyone</option>
            {data.users.map((user) => (
              <option key={user} value={user}>
                {user}
              </option>
            ))}
          </select>
        </FilterField>
        <Button type="submit" size="sm">
          Apply filters
        </Button>
        {filtered && (
          <Link href={paths.audit("tab=exports")} className={buttonVariants({ variant: "ghost", size: "sm" })}>
            Clear filters
          </Link>
        )}
        <a href={paths.api.auditExportsCsv(csvQuery)} download className={buttonVariants({ variant: "outline", size: "sm", className: "ml-auto" })}>
          <Download aria-hidden />
          Download CSV
        </a>
      </form>
      {data.openedMissing && (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          That export is not in this workspace&apos;s history.
        </p>
      )}
      {data.opened && <OpenedExport slug={slug} state={state} view={data.opened} />}
      {data.rows.length === 0 ? (
        <EmptyState clearHref={filtered ? paths.audit("tab=exports") : undefined}>
          {filtered ? "No exports match these filters." : "No exports yet. Each export from the conversations page or `brightrun export` is listed here with who made it."}
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table aria-label="Export history">
            <TableHeader>
              <TableRow>
                <TableHead>Exported (UTC)</TableHead>
                <TableHead>User</TableHead>
                <TableHead className="text-right">Conversations</TableHead>
                <TableHead>Format</TableHead>
                <TableHead>Filters</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.rows.map((row) => {
                const when = `${row.exportedAt.slice(0, 16).replace("T", " ")} UTC`;
                return (
                  <TableRow key={row.exportId} aria-current={state.export === row.exportId ? "true" : undefined} className={state.export === row.exportId ? "bg-muted/60" : undefined}>
                    <TableCell className="whitespace-nowrap tabular-nums">
                      <UtcTime iso={row.exportedAt} />
                    </TableCell>
                    <TableCell><UserName id={row.userId} /></TableCell>
                    <TableCell className="text-right tabular-nums">{row.conversationCount.toLocaleString("en-US")}</TableCell>
                    <TableCell>{row.format}</TableCell>
                    <TableCell className="text-sm">
                      <FilterLines lines={[...row.filterLines, ...row.settingsLines]} />
                    </TableCell>
                    <TableCell>
                      <div className="flex flex-wrap justify-end gap-2">
                        <Link
                          href={paths.audit(serializeAuditParams(state, { export: row.exportId }))}
                          aria-label={`Open the export of ${when}`}
                          className={buttonVariants({ variant: "ghost", size: "sm" })}
                        >
                          Open
                        </Link>
                        <RecreateFilters slug={slug} view={row} />
                        <RerunExportButton slug={slug} exportId={row.exportId} label={`the export of ${when}`} />
                      </div>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
      <Pager page={data.page} perPage={data.perPage} total={data.total} label="Export history pages" hrefFor={(page) => paths.audit(serializeAuditParams(state, { page, export: null }))} />
    </div>
  );
}
