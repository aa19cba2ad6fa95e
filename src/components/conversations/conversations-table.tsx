"use client";
/**
 * The conversations table itself (US6.1.1): TanStack Table in manual (server-side) mode for
 * sorting and pagination, column visibility kept in localStorage, selected rows highlighted,
 * empty and no-results states with a next step, and the keyboard: rows are focusable, Enter
 * opens the preview, Space selects, ↑ / ↓ move between rows.
 */
import { useEffect, useState, type KeyboardEvent } from "react";
import { flexRender, getCoreRowModel, useReactTable, type SortingState, type Table as TanTable, type VisibilityState } from "@tanstack/react-table";
import { FilterX, Inbox } from "lucide-react";
import { cn } from "@/lib/utils";
import type { ConversationSort } from "@/lib/conversation-table-params";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { conversationColumns, DEFAULT_HIDDEN_COLUMNS, NARROW_HIDDEN_COLUMNS, NARROW_SCREEN_PX, type ConversationTableMeta } from "./columns";
import type { ConversationRow } from "./types";
import { matchesShortcut } from "@/lib/keyboard-shortcuts";
import type { Density } from "@/lib/preferences";

const VISIBILITY_KEY = "brightrun.conversations.columns";
/** The Generate column stays in view on the right while the table scrolls sideways (1366 px screens). */
const STICKY_ACTIONS = "sticky right-0 z-[1] bg-card shadow-[-6px_0_6px_-6px_rgb(0_0_0/0.25)] group-data-[state=selected]:bg-muted";

/** The TanStack table instance for the rows, with server-side sort and the visibility the user chose. */
export function useConversationTable({
  rows,
  sort,
  onSortChange,
  meta,
}: {
  rows: ConversationRow[];
  sort: ConversationSort;
  onSortChange: (sort: ConversationSort) => void;
  meta: ConversationTableMeta;
}): TanTable<ConversationRow> {
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>(DEFAULT_HIDDEN_COLUMNS);
  useEffect(() => {
    try {
      const stored = window.localStorage.getItem(VISIBILITY_KEY);
      if (stored) setColumnVisibility({ ...DEFAULT_HIDDEN_COLUMNS, ...(JSON.parse(stored) as VisibilityState) });
      else if (window.innerWidth < NARROW_SCREEN_PX) setColumnVisibility({ ...DEFAULT_HIDDEN_COLUMNS, ...NARROW_HIDDEN_COLUMNS });
    } catch {
      // A malformed stored value: keep the defaults.
    }
  }, []);
  const sorting: SortingState = [{ id: sort.column, desc: sort.direction === "desc" }];
  // TanStack Table returns functions that cannot be memoized; the React Compiler skips this hook.
  // eslint-disable-next-line react-hooks/incompatible-library
  return useReactTable({
    data: rows,
    columns: conversationColumns,
    getRowId: (row) => row.conversationId,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    state: { sorting, columnVisibility },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first) onSortChange({ column: first.id as ConversationSort["column"], direction: first.desc ? "desc" : "asc" });
    },
    onColumnVisibilityChange: (updater) => {
      setColumnVisibility((current) => {
        const next = typeof updater === "function" ? updater(current) : updater;
        try {
          window.localStorage.setItem(VISIBILITY_KEY, JSON.stringify(next));
        } catch {
          // Private mode: the choice lasts for this page only.
        }
        return next;
      });
    },
    meta,
  });
}

/** Cell padding and text size per density (Preferences): comfortable is the table's usual look. */
const DENSITY_CELL: Record<Density, string> = { comfortable: "py-1.5", compact: "py-0.5 text-xs" };

export function ConversationsTable({
  table,
  pending,
  density = "comfortable",
  highlightedId,
  emptyKind,
  onOpen,
  onToggle,
  onClearFilters,
  onPlan,
}: {
  table: TanTable<ConversationRow>;
  /** A new page of rows is loading (the rows shown are dimmed). */
  pending: boolean;
  /** Row height (the user's preference). */
  density?: Density;
  /** The row open in the preview. */
  highlightedId: string | null;
  /** "none": there are no conversations at all; "filtered": none match; null: rows to show. */
  emptyKind: "none" | "filtered" | null;
  onOpen: (row: ConversationRow, index: number) => void;
  onToggle: (row: ConversationRow) => void;
  onClearFilters: () => void;
  onPlan: () => void;
}) {
  const rows = table.getRowModel().rows;
  const columnCount = table.getVisibleLeafColumns().length;

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, row: ConversationRow, index: number) => {
    if (event.target !== event.currentTarget) return; // keys inside a button or checkbox are theirs
    if (matchesShortcut("openRow", event)) {
      event.preventDefault();
      onOpen(row, index);
    } else if (matchesShortcut("toggleRow", event)) {
      event.preventDefault();
      onToggle(row);
    } else if (matchesShortcut("nextRow", event) || matchesShortcut("previousRow", event)) {
      event.preventDefault();
      const sibling = (matchesShortcut("nextRow", event) ? event.currentTarget.nextElementSibling : event.currentTarget.previousElementSibling) as HTMLElement | null;
      sibling?.focus();
    }
  };

  return (
    <div className={cn("rounded-md border bg-card transition-opacity", pending && "opacity-60")} aria-busy={pending}>
      <Table aria-label="Conversations" aria-rowcount={rows.length} data-density={density}>
        <TableHeader className="sticky top-0 z-10 bg-card">
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <TableHead
                    key={header.id}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    className={cn("whitespace-nowrap", header.column.id === "actions" && STICKY_ACTIONS)}
                  >
                    {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                  </TableHead>
                );
              })}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {rows.length ? (
            rows.map((row, index) => {
              const meta = table.options.meta as ConversationTableMeta;
              const selected = meta.isSelected(row.original.conversationId);
              return (
                <TableRow
                  key={row.id}
                  tabIndex={0}
                  data-state={selected ? "selected" : undefined}
                  data-conversation-id={row.original.conversationId}
                  aria-selected={selected}
                  aria-current={highlightedId === row.original.conversationId ? "true" : undefined}
                  className={cn(
                    "group cursor-pointer focus-visible:bg-muted/70 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring",
                    highlightedId === row.original.conversationId && "bg-primary/10 shadow-[inset_3px_0_0_var(--color-primary)]",
                  )}
                  onClick={() => onOpen(row.original, index)}
                  onKeyDown={(event) => onRowKeyDown(event, row.original, index)}
                >
                  {row.getVisibleCells().map((cell) => (
                    <TableCell key={cell.id} className={cn(DENSITY_CELL[density], cell.column.id === "actions" && STICKY_ACTIONS)}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </TableCell>
                  ))}
                </TableRow>
              );
            })
          ) : (
            <TableRow>
              <TableCell colSpan={columnCount} className="h-56 text-center">
                {emptyKind === "none" ? (
                  <div className="mx-auto flex max-w-md flex-col items-center gap-2">
                    <Inbox aria-hidden className="size-10 text-muted-foreground" />
                    <p className="text-base font-medium">No conversations yet.</p>
                    <p className="text-muted-foreground">Plan a dataset from your workspace (40% Template, 35% Scenario, 15% Edge case), then click Generate All to get started.</p>
                    <Button onClick={onPlan}>Plan the dataset</Button>
                    <p className="text-xs text-muted-foreground">Tip: start with the Template tier for foundational conversations.</p>
                  </div>
                ) : (
                  <div className="mx-auto flex max-w-md flex-col items-center gap-2">
                    <FilterX aria-hidden className="size-10 text-muted-foreground" />
                    <p className="text-base font-medium">No conversations match your filters.</p>
                    <p className="text-muted-foreground">Try clearing some filters or changing the search.</p>
                    <Button variant="outline" onClick={onClearFilters}>
                      Clear filters
                    </Button>
                  </div>
                )}
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
    </div>
  );
}
