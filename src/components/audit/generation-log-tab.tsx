/**
 * The audit page's Generation log tab (US9.3.1): every call to a model (generation, judge,
 * template test), filtered by conversation, run, days, user, template, kind and error; 50 a
 * page; one call opened with its figures, request and response; and the CSV of the same filters.
 * Server-rendered: the filters are a GET form, so each view is a link.
 */
import { UserName } from "@/components/accounts/user-names";
import Link from "next/link";
import { Download, X } from "lucide-react";
import { formatCostUsd, formatDurationMs } from "@/core/cost/estimate";
import { serializeAuditParams, type AuditState } from "@/lib/audit-params";
import { GENERATION_LOG_KINDS } from "@/lib/constants";
import { workspacePaths } from "@/lib/workspace-paths";
import type { GenerationCallView, GenerationLogPage } from "@/server/audit";
import { Button, buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EmptyState, fieldClass, FilterField, Pager, UtcTime } from "./audit-parts";

const KIND_LABELS: Record<(typeof GENERATION_LOG_KINDS)[number], string> = { generate: "Generation", judge: "Judge", template_test: "Template test" };

function isFiltered(state: AuditState): boolean {
  return Boolean(state.from || state.to || state.user || state.conversation || state.run || state.template || state.kind || state.error);
}

function Filters({ slug, state, log }: { slug: string; state: AuditState; log: GenerationLogPage }) {
  const paths = workspacePaths(slug);
  return (
    <form method="get" action={paths.audit()} aria-label="Generation log filters" className="grid grid-cols-2 items-end gap-3 rounded-lg border p-4 md:grid-cols-4 xl:grid-cols-8">
      <input type="hidden" name="tab" value="generation" />
      <FilterField id="gl-from" label="From (UTC day)">
        <input id="gl-from" name="from" type="date" defaultValue={state.from ?? ""} className={fieldClass} />
      </FilterField>
      <FilterField id="gl-to" label="To (UTC day)">
        <input id="gl-to" name="to" type="date" defaultValue={state.to ?? ""} className={fieldClass} />
      </FilterField>
      <FilterField id="gl-conversation" label="Conversation id">
        <input id="gl-conversation" name="conversation" defaultValue={state.conversation ?? ""} placeholder="e.g. tmpl-004" className={fieldClass} />
      </FilterField>
      <FilterField id="gl-run" label="Run id">
        <input id="gl-run" name="run" defaultValue={state.run ?? ""} placeholder="a run's UUID" className={fieldClass} />
      </FilterField>
      <FilterField id="gl-user" label="User">
        <select id="gl-user" name="user" defaultValue={state.user ?? ""} className={fieldClass}>
          <option value="">Anyone</option>
          {log.options.users.map((user) => (
            <option key={user} value={user}>
              {user}
            </option>
          ))}
        </select>
      </FilterField>
      <FilterField id="gl-template" label="Template">
        <select id="gl-template" name="template" defaultValue={state.template ?? ""} className={fieldClass}>
          <option value="">Any template</option>
          {log.options.templates.map((template) => (
            <option key={template.key} value={template.key}>
              {template.name}
            </option>
          ))}
        </select>
      </FilterField>
      <FilterField id="gl-kind" label="Kind">
        <select id="gl-kind" name="kind" defaultValue={state.kind ?? ""} className={fieldClass}>
          <option value="">Every kind</option>
          {GENERATION_LOG_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </FilterField>
      <FilterField id="gl-error" label="Outcome">
        <select id="gl-error" name="error" defaultValue={state.error ?? ""} className={fieldClass}>
          <option value="">Every call</option>
          <option value="any">Errors only</option>
          {log.options.errorCodes.map((code) => (
            <option key={code} value={code}>
              Error: {code.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </FilterField>
      <div className="col-span-2 flex flex-wrap gap-2 md:col-span-4 xl:col-span-8">
        <Button type="submit" size="sm">
          Apply filters
        </Button>
        {isFiltered(state) && (
          <Link href={paths.audit()} className={buttonVariants({ variant: "ghost", size: "sm" })}>
            Clear filters
          </Link>
        )}
        <a
          href={paths.api.auditGenerationCsv(serializeAuditParams(state, { tab: "generation", page: 1, call: null, export: null }))}
          download
          className={buttonVariants({ variant: "outline", size: "sm", className: "ml-auto" })}
        >
          <Download aria-hidden />
          Download CSV
        </a>
      </div>
    </form>
  );
}

function Payload({ title, value, droppedAt = null }: { title: string; value: unknown; droppedAt?: string | null }) {
  return (
    <div className="min-w-0 space-y-1">
      <h4 className="text-sm font-semibold">{title}</h4>
      {droppedAt ? (
        <p className="text-sm text-muted-foreground">
          Payload dropped by retention on <UtcTime iso={droppedAt} />. The call&apos;s tokens, cost, duration and outcome above are kept.
        </p>
      ) : value === null || value === undefined ? (
        <p className="text-sm text-muted-foreground">None recorded (the call failed before a reply).</p>
      ) : (
        <pre tabIndex={0} aria-label={title} className="max-h-96 overflow-auto rounded-md border bg-muted/40 p-3 text-xs leading-relaxed whitespace-pre-wrap break-words">
          {typeof value === "string" ? value : JSON.stringify(value, null, 2)}
        </pre>
      )}
    </div>
  );
}

function CallDetails({ slug, state, call }: { slug: string; state: AuditState; call: GenerationCallView }) {
  const paths = workspacePaths(slug);
  const figures: Array<[string, React.ReactNode]> = [
    ["When", <UtcTime key="t" iso={call.createdAt} seconds />],
    ["Kind", KIND_LABELS[call.kind]],
    ["Conversation", call.conversationId ?? "—"],
    ["Run", call.runId ?? "—"],
    ["Template", call.templateName ? `${call.templateName}${call.templateVersion !== null ? ` v${call.templateVersion}` : ""}` : "—"],
    ["Provider / model", `${call.provider} / ${call.model}`],
    ["User", <UserName key="user" id={call.userId} />],
    ["Tokens in / out", `${call.inputTokens.toLocaleString("en-US")} / ${call.outputTokens.toLocaleString("en-US")}`],
    ["Cost", call.costUsd === null ? "No price known" : formatCostUsd(call.costUsd)],
    ["Duration", formatDurationMs(call.durationMs)],
    ["Outcome", call.errorCode ? `Failed: ${call.errorCode.replaceAll("_", " ")}` : "Succeeded"],
  ];
  return (
    <section aria-labelledby="call-heading" className="space-y-4 rounded-lg border p-4">
      <div className="flex items-start justify-between gap-2">
        <h3 id="call-heading" className="text-lg font-semibold">
          Call <span className="font-mono text-base">{call.id}</span>
        </h3>
        <Link href={paths.audit(serializeAuditParams(state, { call: null }))} className={buttonVariants({ variant: "ghost", size: "sm" })}>
          <X aria-hidden />
          Close
        </Link>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm md:grid-cols-4">
        {figures.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs text-muted-foreground">{label}</dt>
            <dd className="break-words">{value}</dd>
          </div>
        ))}
      </dl>
      {call.errorMessage && (
        <p role="note" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
          {call.errorMessage}
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Payload title="Request" value={call.requestPayload} droppedAt={call.payloadsDroppedAt} />
        <Payload title="Response" value={call.responsePayload} droppedAt={call.payloadsDroppedAt} />
      </div>
      <Payload title="Parameters" value={call.parameters} />
    </section>
  );
}

/** The Generation log tab's body. */
export function GenerationLogTab({ slug, state, log }: { slug: string; state: AuditState; log: GenerationLogPage }) {
  const paths = workspacePaths(slug);
  return (
    <div className="space-y-4">
      <Filters slug={slug} state={state} log={log} />
      {log.callMissing && (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          That call is not in this workspace&apos;s generation log (it may have been removed by retention).
        </p>
      )}
      {log.call && <CallDetails slug={slug} state={state} call={log.call} />}
      {log.rows.length === 0 ? (
        <EmptyState clearHref={isFiltered(state) ? paths.audit() : undefined}>
          {isFiltered(state) ? "No calls match these filters." : "No calls to a model yet. Every generation, judge and template test call is listed here once it is made."}
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table aria-label="Generation log calls">
            <TableHeader>
              <TableRow>
                <TableHead>When (UTC)</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead>Conversation</TableHead>
                <TableHead>Template</TableHead>
                <TableHead>Model</TableHead>
                <TableHead>User</TableHead>
                <TableHead className="text-right">Tokens in / out</TableHead>
                <TableHead className="text-right">Cost</TableHead>
                <TableHead className="text-right">Duration</TableHead>
                <TableHead>Outcome</TableHead>
                <TableHead>
                  <span className="sr-only">Open</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {log.rows.map((row) => (
                <TableRow key={row.id} aria-current={state.call === row.id ? "true" : undefined} className={state.call === row.id ? "bg-muted/60" : undefined}>
                  <TableCell className="whitespace-nowrap tabular-nums">
                    <UtcTime iso={row.createdAt} seconds />
                  </TableCell>
                  <TableCell>{KIND_LABELS[row.kind]}</TableCell>
                  <TableCell className="font-mono text-xs">
                    {row.conversationId ? (
                      <Link href={paths.audit(serializeAuditParams(state, { conversation: row.conversationId, page: 1, call: null }))} title={`Only the calls of ${row.conversationId}`} className="underline-offset-4 hover:underline">
                        {row.conversationId}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  <TableCell className="max-w-40 truncate" title={row.templateName ?? undefined}>
                    {row.templateName ? `${row.templateName}${row.templateVersion !== null ? ` v${row.templateVersion}` : ""}` : "—"}
                  </TableCell>
                  <TableCell className="text-xs">{row.model}</TableCell>
                  <TableCell><UserName id={row.userId} /></TableCell>
                  <TableCell className="text-right tabular-nums">
                    {row.inputTokens.toLocaleString("en-US")} / {row.outputTokens.toLocaleString("en-US")}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{row.costUsd === null ? "—" : formatCostUsd(row.costUsd)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatDurationMs(row.durationMs)}</TableCell>
                  <TableCell>{row.errorCode ? <span className="text-destructive">Failed: {row.errorCode.replaceAll("_", " ")}</span> : "Succeeded"}</TableCell>
                  <TableCell>
                    <Link href={paths.audit(serializeAuditParams(state, { call: row.id }))} className="font-medium text-primary underline-offset-4 hover:underline">
                      Open<span className="sr-only"> call of {row.createdAt}</span>
                    </Link>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <Pager page={log.page} perPage={log.perPage} total={log.total} label="Generation log pages" hrefFor={(page) => paths.audit(serializeAuditParams(state, { page, call: null }))} />
    </div>
  );
}
