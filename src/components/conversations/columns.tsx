"use client";
/**
 * The conversations table's columns (US6.1.1: Conversation ID, Persona, Emotion, Topic, Intent,
 * Tone, Outcome (hidden until shown), Tier, Status, Quality Score, Generated Date, Cost (hidden until shown; US13.1.2)), with the selection checkbox first and the
 * row's Generate button last. Column ids that sort are the server's whitelisted sort ids.
 */
import type { ColumnDef } from "@tanstack/react-table";
import { Loader2, Lock, Sparkles } from "lucide-react";
import { TIER_LABELS } from "@/lib/constants";
import { formatDate, formatDateTime } from "@/lib/format";
import { formatCostUsd } from "@/core/cost/estimate";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { DataTableColumnHeader } from "@/components/data-table/data-table-column-header";
import { QualityBadge } from "./quality-badge";
import { StatusBadge } from "./status-badge";
import type { ConversationRow } from "./types";

/** What the cells call back into; passed as the table's `meta`. */
export interface ConversationTableMeta {
  isSelected: (conversationId: string) => boolean;
  toggleSelected: (row: ConversationRow, selected: boolean) => void;
  /** "all" / "some" / "none" of this page's rows are selected. */
  pageSelection: "all" | "some" | "none";
  togglePage: (selected: boolean) => void;
  generating: ReadonlySet<string>;
  /** "~30 seconds" — the expected time of one conversation. */
  generateEta: string;
  onGenerate: (row: ConversationRow) => void;
  /** Why the viewer's role cannot generate (src/lib/roles.ts), null when it can. */
  generateRefusal: string | null;
  onShowError: (row: ConversationRow) => void;
  onShowQuality: (row: ConversationRow) => void;
  /** Models without a known price: a conversation of one shows its cost as unknown. */
  unpricedModels: readonly string[];
}

export interface ConversationColumnMeta {
  /** Name in the Columns menu. */
  label: string;
}

function metaOf(table: { options: { meta?: unknown } }): ConversationTableMeta {
  return table.options.meta as ConversationTableMeta;
}

/** When the status was reached, for the badge tooltip. */
function statusTime(row: ConversationRow): Date | null {
  if (row.status === "approved" || row.status === "rejected") return row.reviewedAt ?? row.updatedAt;
  if (row.status === "generated") return row.generatedAt;
  if (row.status === "failed" || row.status === "generating") return row.updatedAt;
  return null;
}

export const conversationColumns: ColumnDef<ConversationRow>[] = [
  {
    id: "select",
    header: ({ table }) => {
      const meta = metaOf(table);
      return (
        <Checkbox
          checked={meta.pageSelection === "all" ? true : meta.pageSelection === "some" ? "indeterminate" : false}
          onCheckedChange={(value) => meta.togglePage(value === true)}
          aria-label="Select all on this page"
        />
      );
    },
    cell: ({ row, table }) => {
      const meta = metaOf(table);
      return (
        <Checkbox
          checked={meta.isSelected(row.original.conversationId)}
          onCheckedChange={(value) => meta.toggleSelected(row.original, value === true)}
          onClick={(event) => event.stopPropagation()}
          aria-label={`Select ${row.original.conversationId}`}
        />
      );
    },
    enableSorting: false,
    enableHiding: false,
    size: 36,
  },
  {
    id: "conversation_id",
    accessorKey: "conversationId",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Conversation ID" />,
    cell: ({ row }) => (
      <span className="inline-flex items-center gap-1 font-mono text-xs whitespace-nowrap">
        {row.original.conversationId}
        {row.original.isSeed && (
          <Tooltip>
            <TooltipTrigger asChild>
              <Lock aria-label="Seed conversation (locked)" className="size-3.5 text-muted-foreground" />
            </TooltipTrigger>
            <TooltipContent>Seed conversation: written by you, locked, always exported.</TooltipContent>
          </Tooltip>
        )}
      </span>
    ),
    enableHiding: false,
    meta: { label: "Conversation ID" } satisfies ConversationColumnMeta,
  },
  {
    id: "persona",
    accessorKey: "personaName",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Persona" />,
    cell: ({ row }) => <span className="block max-w-44 truncate" title={row.original.personaName}>{row.original.personaName}</span>,
    meta: { label: "Persona" } satisfies ConversationColumnMeta,
  },
  {
    id: "emotion",
    accessorKey: "emotionName",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Emotion" />,
    cell: ({ row }) => <span className="block max-w-36 truncate" title={row.original.emotionName}>{row.original.emotionName}</span>,
    meta: { label: "Emotion" } satisfies ConversationColumnMeta,
  },
  {
    id: "topic",
    accessorKey: "topicName",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Topic" />,
    cell: ({ row }) => <span className="block max-w-44 truncate" title={row.original.topicName}>{row.original.topicName}</span>,
    meta: { label: "Topic" } satisfies ConversationColumnMeta,
  },
  {
    id: "intent",
    accessorKey: "intentName",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Intent" />,
    cell: ({ row }) => <span className="block max-w-36 truncate" title={row.original.intentName}>{row.original.intentName}</span>,
    enableSorting: false,
    meta: { label: "Intent" } satisfies ConversationColumnMeta,
  },
  {
    id: "tone",
    accessorKey: "toneName",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Tone" />,
    cell: ({ row }) => <span className="block max-w-36 truncate" title={row.original.toneName}>{row.original.toneName}</span>,
    enableSorting: false,
    meta: { label: "Tone" } satisfies ConversationColumnMeta,
  },
  {
    id: "outcome",
    accessorKey: "outcomeName",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Outcome" />,
    cell: ({ row }) =>
      row.original.outcomeName ? (
        <span className="block max-w-36 truncate" title={row.original.outcomeName}>
          {row.original.outcomeName}
        </span>
      ) : (
        <span className="text-muted-foreground">None</span>
      ),
    enableSorting: false,
    meta: { label: "Outcome" } satisfies ConversationColumnMeta,
  },
  {
    id: "tier",
    accessorKey: "tier",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Tier" />,
    cell: ({ row }) => <span className="whitespace-nowrap">{TIER_LABELS[row.original.tier]}</span>,
    meta: { label: "Tier" } satisfies ConversationColumnMeta,
  },
  {
    id: "source",
    accessorKey: "sourceCategory",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Source" />,
    cell: ({ row }) => <span className="block max-w-40 truncate">{row.original.sourceCategory ?? "—"}</span>,
    enableSorting: false,
    meta: { label: "Source category" } satisfies ConversationColumnMeta,
  },
  {
    id: "status",
    accessorKey: "status",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Status" />,
    cell: ({ row, table }) => {
      const meta = metaOf(table);
      const status = meta.generating.has(row.original.conversationId) && row.original.status !== "generating" ? "generating" : row.original.status;
      return (
        <StatusBadge
          status={status}
          at={statusTime(row.original)}
          errorCode={row.original.lastErrorCode}
          onShowError={status === "failed" ? () => meta.onShowError(row.original) : undefined}
        />
      );
    },
    meta: { label: "Status" } satisfies ConversationColumnMeta,
  },
  {
    id: "quality_score",
    accessorKey: "qualityScore",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Quality" />,
    cell: ({ row, table }) => (
      <QualityBadge score={row.original.qualityScore} tier={row.original.tier} summary={row.original.qualitySummary} onOpenDetails={() => metaOf(table).onShowQuality(row.original)} />
    ),
    meta: { label: "Quality score" } satisfies ConversationColumnMeta,
  },
  {
    id: "turn_count",
    accessorKey: "turnCount",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Turns" />,
    cell: ({ row }) => <span className="tabular-nums">{row.original.turnCount || "—"}</span>,
    meta: { label: "Turns" } satisfies ConversationColumnMeta,
  },
  {
    id: "generated_at",
    accessorKey: "generatedAt",
    header: ({ column }) => <DataTableColumnHeader column={column} title="Generated" />,
    cell: ({ row }) =>
      row.original.generatedAt ? (
        <time dateTime={new Date(row.original.generatedAt).toISOString()} title={formatDateTime(row.original.generatedAt)} className="whitespace-nowrap tabular-nums">
          {formatDate(row.original.generatedAt)}
        </time>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
    meta: { label: "Generated date" } satisfies ConversationColumnMeta,
  },
  {
    id: "cost_usd",
    accessorKey: "costUsd",
    header: () => <span>Cost</span>,
    cell: ({ row, table }) => {
      const r = row.original;
      if (!r.model && r.costUsd === 0) return <span className="text-muted-foreground">—</span>;
      if (r.provider === "simulated" && r.costUsd === 0) return <span className="text-muted-foreground" title="Simulated provider: not a language model">$0 (simulated)</span>;
      if (r.model && metaOf(table).unpricedModels.includes(r.model)) return <span className="text-muted-foreground" title={`No price is set for ${r.model}`}>unknown</span>;
      return (
        <span className="tabular-nums" title={r.model ? `Every attempt, priced when made · ${r.model}` : undefined}>
          {formatCostUsd(r.costUsd)}
        </span>
      );
    },
    enableSorting: false,
    meta: { label: "Cost (USD)" } satisfies ConversationColumnMeta,
  },
  {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    cell: ({ row, table }) => {
      const meta = metaOf(table);
      const r = row.original;
      const busy = meta.generating.has(r.conversationId) || r.status === "generating";
      const can = !r.isSeed && (r.status === "not_generated" || r.status === "failed");
      const why = r.isSeed
        ? "Seed conversations are locked."
        : busy
          ? "Generating now."
          : !can
            ? "Already generated. Review it, or reject it to leave it out."
            : (meta.generateRefusal ?? "");
      const button = (
        <Button
          size="sm"
          variant={r.status === "failed" ? "outline" : "secondary"}
          className="h-7 min-w-[6.5rem] px-2"
          disabled={!can || busy || meta.generateRefusal !== null}
          onClick={(event) => {
            event.stopPropagation();
            meta.onGenerate(r);
          }}
          aria-label={`${r.status === "failed" ? "Retry" : "Generate"} ${r.conversationId}`}
        >
          {busy ? <Loader2 aria-hidden className="size-3.5 animate-spin" /> : <Sparkles aria-hidden className="size-3.5" />}
          {busy ? meta.generateEta : r.status === "failed" ? "Retry" : "Generate"}
        </Button>
      );
      return why ? (
        <Tooltip>
          <TooltipTrigger asChild>
            <span tabIndex={-1}>{button}</span>
          </TooltipTrigger>
          <TooltipContent>{why}</TooltipContent>
        </Tooltip>
      ) : (
        button
      );
    },
    enableSorting: false,
    enableHiding: false,
  },
];

/** Columns hidden until the user shows them in the Columns menu. */
export const DEFAULT_HIDDEN_COLUMNS: Record<string, boolean> = { source: false, turn_count: false, outcome: false, cost_usd: false };
/** Also hidden by default on screens narrower than NARROW_SCREEN_PX, so Status, Quality and Generate fit at 1366 px. */
export const NARROW_HIDDEN_COLUMNS: Record<string, boolean> = { tone: false };
export const NARROW_SCREEN_PX = 1600;
