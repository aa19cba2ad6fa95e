"use client";
/**
 * The error log (US2.2.2 "Error log accessible showing full error history with filters"): filters,
 * a table of failed generation calls (time, conversation, code, message, temporary / permanent,
 * provider / model, run), pagination, and the error details dialog with Retry for a conversation.
 */
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { TIER_LABELS } from "@/lib/constants";
import {
  ERROR_CATEGORY_LABELS,
  ERROR_LOG_PER_PAGE_OPTIONS,
  errorCategoryFor,
  errorLogHref,
  type ErrorLogPerPage,
  type ErrorLogState,
} from "@/lib/error-log-params";
import { formatDateTime, formatRelativeTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { ErrorLog } from "@/server/error-log";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { ERROR_CATEGORY_CLASSES, ErrorDetailsDialog } from "@/components/conversations/error-details-dialog";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { ErrorLogFilters } from "./error-log-filters";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { workspacePaths } from "@/lib/workspace-paths";

function EmptyState({ filtered }: { filtered: boolean }) {
  const { slug: workspaceSlug } = useWorkspace();
  return (
    <div className="rounded-lg border border-dashed p-10 text-center">
      {filtered ? (
        <>
          <p className="font-medium">No generation errors match these filters.</p>
          <p className="mt-1 text-sm text-muted-foreground">
            <Link href={workspacePaths(workspaceSlug).errors()} className="underline underline-offset-4">
              Clear the filters
            </Link>{" "}
            to see every error.
          </p>
        </>
      ) : (
        <p className="text-muted-foreground">No generation errors. Failed generations will be listed here with their cause.</p>
      )}
    </div>
  );
}

/**
 * The /errors page body.
 * @param state the parsed URL state (filters, page)
 * @param log the loaded page of errors and the code counts
 */
export function ErrorLogView({ state, log }: { state: ErrorLogState; log: ErrorLog }) {
  const { slug: workspaceSlug } = useWorkspace();
  const router = useRouter();
  // The id stays set while the dialog animates closed, so its title does not go blank.
  const [dialog, setDialog] = useState<{ id: string | null; open: boolean }>({ id: null, open: false });
  const filtered = state.code.length > 0 || state.tier.length > 0 || state.retryable !== null || state.since !== null;
  const pageCount = Math.max(1, Math.ceil(log.total / state.perPage));
  // Clamped: from a page past the end (an old link), Previous goes to the last page.
  const goToPage = (page: number) => router.push(errorLogHref(workspaceSlug, { ...state, page: Math.max(1, Math.min(page, pageCount)) }), { scroll: false });

  return (
    <div className="space-y-4">
      <ErrorLogFilters state={state} codes={log.codes} />
      {log.rows.length === 0 && log.total === 0 ? (
        <EmptyState filtered={filtered} />
      ) : (
        <>
          <div className="overflow-x-auto rounded-lg border bg-background">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Time</TableHead>
                  <TableHead>Conversation</TableHead>
                  <TableHead>Error code</TableHead>
                  <TableHead className="min-w-72">Message</TableHead>
                  <TableHead>Retryable</TableHead>
                  <TableHead>Provider / model</TableHead>
                  <TableHead>Run</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {log.rows.length === 0 ? (
                  <TableRow>
                    <TableCell colSpan={7} className="py-8 text-center text-muted-foreground">
                      This page is past the end.{" "}
                      <Link href={errorLogHref(workspaceSlug, { ...state, page: 1 })} className="underline underline-offset-4">
                        Go to the first page
                      </Link>
                      .
                    </TableCell>
                  </TableRow>
                ) : (
                  log.rows.map((row) => {
                    const category = errorCategoryFor(row.errorCode);
                    return (
                      <TableRow key={row.id}>
                        <TableCell className="whitespace-nowrap tabular-nums">
                          <Tooltip>
                            <TooltipTrigger asChild>
                              <time dateTime={row.createdAt} tabIndex={0}>
                                {formatDateTime(row.createdAt)}
                              </time>
                            </TooltipTrigger>
                            <TooltipContent>{formatRelativeTime(row.createdAt)}</TooltipContent>
                          </Tooltip>
                        </TableCell>
                        <TableCell className="whitespace-nowrap">
                          {row.conversationId ? (
                            <div className="flex flex-col">
                              <Button
                                variant="link"
                                className="h-auto justify-start p-0 font-mono"
                                onClick={() => setDialog({ id: row.conversationId, open: true })}
                                aria-label={`${row.conversationId}: show error details`}
                              >
                                {row.conversationId}
                              </Button>
                              <span className="text-xs text-muted-foreground">
                                {[row.tier ? TIER_LABELS[row.tier] : null, row.personaName].filter(Boolean).join(" · ")}
                              </span>
                            </div>
                          ) : (
                            <span className="text-muted-foreground">Deleted</span>
                          )}
                        </TableCell>
                        <TableCell className="whitespace-nowrap">
                          <span className={cn("inline-flex rounded-md border px-1.5 py-0.5 font-mono text-xs", ERROR_CATEGORY_CLASSES[category])} title={ERROR_CATEGORY_LABELS[category]}>
                            {row.errorCode}
                          </span>
                        </TableCell>
                        <TableCell className="max-w-md text-sm whitespace-normal break-words">{row.errorMessage || "—"}</TableCell>
                        <TableCell className="whitespace-nowrap">{row.retryable ? "Yes" : "No"}</TableCell>
                        <TableCell className="text-sm whitespace-nowrap">
                          {row.provider} / {row.model}
                        </TableCell>
                        <TableCell className="font-mono text-xs whitespace-nowrap">
                          {row.runId ? <span title={row.runId}>{row.runId.slice(0, 8)}</span> : <span className="text-muted-foreground">—</span>}
                        </TableCell>
                      </TableRow>
                    );
                  })
                )}
              </TableBody>
            </Table>
          </div>
          <DataTablePagination
            page={state.page}
            perPage={state.perPage}
            total={log.total}
            perPageOptions={ERROR_LOG_PER_PAGE_OPTIONS}
            onPageChange={goToPage}
            onPerPageChange={(perPage) => router.push(errorLogHref(workspaceSlug, { ...state, perPage: perPage as ErrorLogPerPage, page: 1 }))}
          />
        </>
      )}
      <ErrorDetailsDialog
        open={dialog.open}
        onOpenChange={(open) => setDialog((current) => ({ ...current, open }))}
        conversationId={dialog.id}
        onRetried={() => router.refresh()}
      />
    </div>
  );
}
