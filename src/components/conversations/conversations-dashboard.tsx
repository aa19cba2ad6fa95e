"use client";
/**
 * The conversations page (the dashboard, issue 4): header actions, the generation banner and
 * progress panel, filters, the table with selection and bulk actions, the preview panel and the
 * dialogs. The table state lives in the URL (nuqs, `shallow: false` so the server renders the
 * new page); what the server parsed (`state`) is what is shown.
 */
import { usePermission } from "@/components/accounts/viewer-context";
import { useCallback, useEffect, useOptimistic, useRef, useState, useSyncExternalStore, useTransition } from "react";
import { Group, Panel, Separator, useDefaultLayout, type LayoutStorage } from "react-resizable-panels";
import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { ServerCrash, SlidersHorizontal } from "lucide-react";
import { toast } from "sonner";
import type { RunProgress } from "@/lib/run-states";
import { PER_PAGE_OPTIONS, type ConversationSort, type ConversationTableState } from "@/lib/conversation-table-params";
import { conversationTableSearchParams, FILTER_LIST_PARAMS } from "@/lib/conversation-table-search-params";
import { UNDO_WINDOW_MS, type ConversationTarget, type GenerationScope } from "@/lib/dashboard-contract";
import { pluralize } from "@/lib/format";
import { isTypingTarget, matchesShortcut } from "@/lib/keyboard-shortcuts";
import { deleteConversationsAction, planDatasetAction } from "@/server/actions/conversations";
import { reviewConversationsAction, undoReviewAction } from "@/server/actions/review";
import { startJudgingAction } from "@/server/actions/generation";
import { SectionErrorBoundary } from "@/components/section-error-boundary";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { DataTableToolbar } from "@/components/data-table/data-table-toolbar";
import { ConversationsTour } from "@/components/tour/conversations-tour";
import { BulkActionsBar } from "./bulk-actions-bar";
import { BulkDeleteDialog, BulkReviewDialog, type AffectedConversation } from "./bulk-dialogs";
import type { ConversationTableMeta } from "./columns";
import { ConversationFilters, type FilterPatch } from "./conversation-filters";
import { ConversationPreview, type ReviewRunner } from "./conversation-preview";
import { applyOptimisticReviews, type OptimisticReview } from "./optimistic-review";
import { ConversationsTable, useConversationTable } from "./conversations-table";
import { ErrorDetailsDialog } from "./error-details-dialog";
import { ExportDialog } from "./export-dialog";
import { GenerateDialog } from "./generate-dialog";
import { DashboardHeader } from "./dashboard-header";
import { ProgressPanel } from "./progress-panel";
import { QualityDetailsDialog } from "./quality-details-dialog";
import { StatusLegend } from "./status-legend";
import type { ConversationRow, ConversationsDashboardData } from "./types";
import { useGenerateConversation } from "./use-generate-conversation";
import { useRunProgress } from "./use-run-progress";
import { useTierRules, useWorkspace } from "@/components/workspaces/workspace-provider";
import { usePreferencesSnapshot } from "@/components/preferences/use-preferences";
import type { Density } from "@/lib/preferences";

/** From this window width (px) the preview is a panel beside the table; narrower, a sheet over it (US11.1.1: tablets from 768 px). */
export const PREVIEW_PANEL_MIN_PX = 1024;
/** The preview layout's id: the panel widths are remembered in localStorage under keys made from it. */
const PREVIEW_LAYOUT_ID = "brightrun.conversations.preview-layout";
const WIDE_QUERY = `(min-width: ${PREVIEW_PANEL_MIN_PX}px)`;

function subscribeWide(onChange: () => void): () => void {
  const query = window.matchMedia(WIDE_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** localStorage for the panel widths, safe on the server and when storage is refused (private mode). */
const layoutStorage: LayoutStorage = {
  getItem: (key) => {
    try {
      return typeof window === "undefined" ? null : window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  setItem: (key, value) => {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      // Refused: the width lasts until the page reloads.
    }
  },
};

/** Least time between two table refreshes while a run reports progress, ms. */
const REFRESH_EVERY_MS = 1_500;

type Selection =
  | { mode: "ids"; ids: Map<string, AffectedConversation> }
  /** "Select all N": everything matching `matchKey` (filter + search) except `except`. */
  | { mode: "matching"; matchKey: string; total: number; except: Set<string> };

function summaryOf(row: ConversationRow): AffectedConversation {
  return { conversationId: row.conversationId, summary: `${row.personaName} · ${row.emotionName} · ${row.topicName}` };
}

export function ConversationsDashboard({
  data: serverData,
  state,
  density: serverDensity,
  hasDefaultFilters,
}: {
  data: ConversationsDashboardData;
  state: ConversationTableState;
  /** The user's table density as the server read it (the browser's copy takes over once loaded). */
  density: Density;
  /** The user has default filters (Preferences): changing or clearing filters then sets `defaults=off`. */
  hasDefaultFilters: boolean;
}) {
  const { slug: workspaceSlug } = useWorkspace();
  const generateRefusal = usePermission("generate").reason;
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [, setParams] = useQueryStates(conversationTableSearchParams, { shallow: false, history: "push", startTransition });

  // ---- instant feedback for approve / reject (US11.2.1; optimistic-review.ts) ----
  const tierRules = useTierRules();
  // Reviews the server accepted, shown until the refreshed rows arrive (`serverData` is then a new object).
  const [accepted, setAccepted] = useState<{ base: ConversationsDashboardData; changes: OptimisticReview[] }>({ base: serverData, changes: [] });
  const latestServerData = useRef(serverData);
  useEffect(() => {
    latestServerData.current = serverData;
  }, [serverData]);
  const acceptedData = accepted.base === serverData ? applyOptimisticReviews(serverData, accepted.changes, tierRules) : serverData;
  // Reviews still with the server: shown at once, dropped (rolled back) when their work ends without accept().
  const [data, showPending] = useOptimistic(acceptedData, (current: ConversationsDashboardData, change: OptimisticReview) => applyOptimisticReviews(current, [change], tierRules));
  const [, startReviewTransition] = useTransition();
  /** Re-reads the page from the server without dimming the table (after a review the rows already show it). */
  const refreshQuietly = useCallback(() => startReviewTransition(() => router.refresh()), [router]);
  const runOptimisticReview: ReviewRunner = useCallback(
    (change, work) =>
      startReviewTransition(async () => {
        showPending(change);
        await work(() =>
          setAccepted((current) => {
            const base = latestServerData.current;
            return { base, changes: current.base === base ? [...current.changes, change] : [change] };
          }),
        );
      }),
    [showPending],
  );
  const rows = data.page.rows;
  const matchKey = JSON.stringify([state.filter, state.search]);

  const refresh = useCallback(() => startTransition(() => router.refresh()), [router]);

  // ---- selection (kept across pages; "Select all N" across pages) ----
  const [selectionState, setSelection] = useState<Selection>({ mode: "ids", ids: new Map() });
  // A "select all matching" made under other filters no longer applies.
  const selection: Selection = selectionState.mode === "matching" && selectionState.matchKey !== matchKey ? { mode: "ids", ids: new Map() } : selectionState;
  const isSelected = (id: string) => (selection.mode === "ids" ? selection.ids.has(id) : !selection.except.has(id));
  const selectedCount = selection.mode === "ids" ? selection.ids.size : Math.max(0, selection.total - selection.except.size);
  const setRowSelected = useCallback(
    (row: ConversationRow, selected: boolean) =>
      setSelection((current) => {
        const base: Selection = current.mode === "matching" && current.matchKey !== matchKey ? { mode: "ids", ids: new Map() } : current;
        if (base.mode === "ids") {
          const ids = new Map(base.ids);
          if (selected) ids.set(row.conversationId, summaryOf(row));
          else ids.delete(row.conversationId);
          return { mode: "ids", ids };
        }
        const except = new Set(base.except);
        if (selected) except.delete(row.conversationId);
        else except.add(row.conversationId);
        return { ...base, except };
      }),
    [matchKey],
  );
  const pageSelected = rows.filter((r) => isSelected(r.conversationId)).length;
  const clearSelection = useCallback(() => setSelection({ mode: "ids", ids: new Map() }), []);
  const target = (): ConversationTarget =>
    selection.mode === "ids"
      ? { ids: [...selection.ids.keys()] }
      : { matching: { filter: state.filter, search: state.search }, exceptIds: [...selection.except] };
  const affected = (): AffectedConversation[] =>
    selection.mode === "ids" ? [...selection.ids.values()] : rows.filter((r) => !selection.except.has(r.conversationId)).map(summaryOf);

  // ---- generation ----
  const initialRuns = data.activeRuns;
  const [runIds, setRunIds] = useState<string[]>(() => initialRuns.map((r) => r.runId));
  const [panelOpen, setPanelOpen] = useState(false);
  const lastRefresh = useRef(0);
  const lastDone = useRef<Record<string, number>>({});
  const { progress: runs, errors: streamErrors } = useRunProgress({
    runIds,
    initial: initialRuns,
    onProgress: (p: RunProgress) => {
      if (lastDone.current[p.runId] === p.done && p.current.length === 0) return;
      lastDone.current[p.runId] = p.done;
      if (Date.now() - lastRefresh.current >= REFRESH_EVERY_MS) {
        lastRefresh.current = Date.now();
        refresh();
      }
    },
    onFinished: (p: RunProgress) => {
      refresh();
      if (p.purpose === "judge") {
        const judged = `${p.succeeded} judged, ${p.failed} not judged${p.cancelled ? `, ${p.cancelled} cancelled` : ""}`;
        if (p.status === "cancelled") toast.info("Judging cancelled", { description: judged });
        else if (p.failed) toast.warning("Judging finished; some were not judged", { description: `${judged}. Each one's quality details say why.` });
        else toast.success("Judging finished", { description: `${judged}. The scores and reasons are in each conversation's quality details.` });
        return;
      }
      const text = `${p.succeeded} succeeded, ${p.failed} failed${p.cancelled ? `, ${p.cancelled} cancelled` : ""}`;
      if (p.status === "cancelled") toast.info("Generation cancelled", { description: text });
      else if (p.failed) toast.warning("Generation finished with failures", { description: `${text}. Use Retry All Failed, or open a failed badge for the cause.` });
      else toast.success("Generation finished", { description: text });
    },
  });
  const runList = runIds.map((id) => runs[id]).filter((r): r is RunProgress => Boolean(r));
  const [generateScope, setGenerateScope] = useState<{ scope: GenerationScope; description: string } | null>(null);
  const onRunStarted = ({ runId }: { runId: string }) => {
    setRunIds((ids) => (ids.includes(runId) ? ids : [runId, ...ids]));
    setPanelOpen(true);
    clearSelection();
    refresh();
  };
  const [generating, setGenerating] = useState<ReadonlySet<string>>(new Set());
  const { generate } = useGenerateConversation({ onChange: refresh });
  const generateRow = useCallback(
    (row: ConversationRow) => {
      setGenerating((s) => new Set(s).add(row.conversationId));
      void generate(row.conversationId).finally(() =>
        setGenerating((s) => {
          const next = new Set(s);
          next.delete(row.conversationId);
          return next;
        }),
      );
    },
    [generate],
  );

  // ---- dialogs and preview ----
  const [qualityFor, setQualityFor] = useState<string | null>(null);
  const [errorFor, setErrorFor] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ conversationId: string; position: number } | null>(null);
  const [reviewAction, setReviewAction] = useState<"approve" | "reject" | null>(null);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [bulkBusy, setBulkBusy] = useState(false);
  // The filter panel can be folded away (US3.1.1); active filters stay visible as badges.
  const [filtersOpen, setFiltersOpen] = useState(true);
  const [exportOpen, setExportOpen] = useState(false);

  // Ctrl/Cmd+E opens the export dialog and Ctrl/Cmd+A selects this page's rows, except while
  // typing in a field or inside a dialog (src/lib/keyboard-shortcuts.ts).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const id = matchesShortcut("openExport", event) ? "openExport" : matchesShortcut("selectVisibleRows", event) ? "selectVisibleRows" : null;
      if (!id || event.repeat || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (isTypingTarget(target) || target?.closest("[role='dialog'], [role='alertdialog']")) return;
      event.preventDefault();
      if (id === "openExport") setExportOpen(true);
      else rows.forEach((row) => setRowSelected(row, true));
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [rows, setRowSelected]);

  // Wide screens show the preview beside the table (the server renders the wide layout; the preview is closed then).
  const wide = useSyncExternalStore(subscribeWide, () => window.matchMedia(WIDE_QUERY).matches, () => true);
  const sideBySide = wide && preview !== null;
  const previewLayout = useDefaultLayout({ id: PREVIEW_LAYOUT_ID, panelIds: sideBySide ? ["conversations-table", "conversation-preview"] : ["conversations-table"], storage: layoutStorage });
  const layoutRef = useRef<HTMLDivElement>(null);
  const previewedId = preview?.conversationId ?? null;
  // The previewed row is highlighted (aria-current) and kept in view as the preview moves.
  useEffect(() => {
    if (!previewedId) return;
    const row = layoutRef.current?.querySelector<HTMLElement>(`tr[data-conversation-id="${CSS.escape(previewedId)}"]`);
    row?.scrollIntoView({ block: "nearest" });
  }, [previewedId, rows]);
  // When the panel opens, the page scrolls so the table and panel fill the window under the header.
  useEffect(() => {
    if (!sideBySide) return;
    const group = layoutRef.current;
    if (!group) return;
    const header = document.querySelector("body header")?.getBoundingClientRect().bottom ?? 0;
    const top = group.getBoundingClientRect().top;
    if (Math.abs(top - header - 8) > 4) window.scrollBy({ top: top - header - 8 });
  }, [sideBySide]);
  const closePreview = () => {
    const id = preview?.conversationId;
    setPreview(null);
    // Back to the row the preview showed, for the keyboard.
    if (id) requestAnimationFrame(() => layoutRef.current?.querySelector<HTMLElement>(`tr[data-conversation-id="${CSS.escape(id)}"]`)?.focus({ preventScroll: true }));
  };

  const openRow = (row: ConversationRow, index: number) =>
    setPreview({ conversationId: row.conversationId, position: (state.page - 1) * state.perPage + index + 1 });
  const onNavigate = ({ position, conversationId }: { position: number; conversationId: string }) => {
    setPreview({ conversationId, position });
    const page = Math.ceil(position / state.perPage);
    if (page !== state.page) void setParams({ page });
  };

  // ---- URL state ----
  // Once the user changes the filters, the default filters (Preferences) stay off for this view.
  const defaultsOff = hasDefaultFilters ? "off" : null;
  const changeFilters = (patch: FilterPatch) => {
    const update: Record<string, string[] | string | null> = { page: null, defaults: defaultsOff };
    for (const [key, value] of Object.entries(patch)) update[key] = Array.isArray(value) ? (value.length ? value : null) : value || null;
    void setParams(update as never);
  };
  const clearAll = () => {
    const update: Record<string, string | null> = { q: null, quality: null, flagged: null, seed: null, page: null, defaults: defaultsOff };
    for (const param of FILTER_LIST_PARAMS) update[param] = null;
    void setParams(update as never);
  };
  const onSearchChange = useCallback((q: string) => void setParams({ q: q || null, page: null }, { history: "replace" }), [setParams]);
  const onSortChange = (sort: ConversationSort) => void setParams({ sort: `${sort.column}.${sort.direction}`, page: null });

  const meta: ConversationTableMeta = {
      isSelected,
      toggleSelected: setRowSelected,
      pageSelection: pageSelected === 0 ? "none" : pageSelected === rows.length ? "all" : "some",
      togglePage: (selected: boolean) => {
        for (const row of rows) setRowSelected(row, selected);
      },
      generating,
      generateEta: data.provider.isLanguageModel ? "~30 seconds" : "~2 seconds",
      onGenerate: generateRow,
      generateRefusal,
      onShowError: (row) => setErrorFor(row.conversationId),
      onShowQuality: (row) => setQualityFor(row.conversationId),
      unpricedModels: data.unpricedModels,
  };
  const table = useConversationTable({ rows, sort: state.sort, onSortChange, meta });
  const { preferences, fromServer: preferencesLoaded } = usePreferencesSnapshot();
  const density = preferencesLoaded ? preferences.density : serverDensity;

  // ---- bulk actions ----
  const runBulkReview = (notes: string) => {
    if (!reviewAction) return;
    const action = reviewAction;
    const sent = target();
    const before = selection;
    const change: OptimisticReview = {
      action,
      target: selection.mode === "ids" ? { ids: [...selection.ids.keys()] } : { allExcept: new Set(selection.except) },
      notes: notes.trim(),
      at: new Date(),
    };
    // The dialog closes and the rows change at once; if the server refuses they roll back and the selection comes back.
    setReviewAction(null);
    clearSelection();
    runOptimisticReview(change, async (accept) => {
      const failed = (description: string) => {
        setSelection(before);
        toast.error(`Could not ${action} the selected conversations`, { description: `${description} Nothing was changed: the rows show their earlier status again and the selection is kept.` });
      };
      try {
        const result = await reviewConversationsAction(workspaceSlug, { target: sent, action, notes: notes.trim() || undefined });
        if (!result.ok) {
          failed(result.error.message);
          return;
        }
        accept();
        const { reviewed, skipped, undoToken } = result.data;
        const verb = action === "approve" ? "approved" : "rejected";
        const description = skipped.length
          ? `Not changed: ${skipped
              .slice(0, 3)
              .map((s) => `${s.conversationId} (${s.reason})`)
              .join("; ")}${skipped.length > 3 ? `; and ${skipped.length - 3} more` : ""}.`
          : undefined;
        const title = `${pluralize(reviewed.length, "conversation")} ${verb}${skipped.length ? `, ${skipped.length} skipped` : ""}`;
        const show = reviewed.length ? toast.success : toast.warning;
        show(title, {
          description,
          duration: undoToken ? UNDO_WINDOW_MS : 8_000,
          action: undoToken
            ? {
                label: "Undo",
                onClick: () => {
                  void undoReviewAction(workspaceSlug, { undoToken }).then(
                    (undo) => {
                      if (undo.ok) toast.success(`Undone: ${pluralize(undo.data.restored.length, "conversation")} restored`, undo.data.skipped.length ? { description: `${undo.data.skipped.length} had changed since and were left as they are.` } : undefined);
                      else toast.error("Could not undo", { description: undo.error.message });
                      refresh();
                    },
                    () => toast.error("Could not undo", { description: "The server could not be reached. Check that Bright Run is running, then try again." }),
                  );
                },
              }
            : undefined,
        });
        refreshQuietly();
      } catch {
        failed("The server could not be reached. Check that Bright Run is running, then try again.");
      }
    });
  };
  const runBulkDelete = async () => {
    setBulkBusy(true);
    try {
      const result = await deleteConversationsAction(workspaceSlug, { target: target(), confirmed: true });
      if (!result.ok) {
        toast.error("Could not delete the selected conversations", { description: result.error.message });
        return;
      }
      const { deleted, skipped } = result.data;
      toast.success(`${pluralize(deleted.length, "conversation")} deleted${skipped.length ? `, ${skipped.length} kept` : ""}`, {
        description: skipped.length ? `Kept: ${skipped.slice(0, 3).map((s) => `${s.conversationId} (${s.reason})`).join("; ")}` : undefined,
      });
      setDeleteOpen(false);
      clearSelection();
      refresh();
    } catch {
      toast.error("Could not delete the selected conversations", { description: "The server could not be reached. Try again." });
    } finally {
      setBulkBusy(false);
    }
  };
  const runBulkJudge = async () => {
    setBulkBusy(true);
    try {
      const result = await startJudgingAction(workspaceSlug, { target: target() });
      if (!result.ok) {
        toast.error("Could not judge the selected conversations", { description: result.error.message });
        return;
      }
      const { runId, total, skipped, model } = result.data;
      const kept = skipped.length ? ` Skipped ${skipped.length}: ${skipped.slice(0, 3).map((s) => `${s.conversationId} (${s.reason})`).join("; ")}.` : "";
      if (!runId) {
        toast.warning("Nothing to judge", { description: `Only generated, approved or rejected conversations can be judged.${kept}` });
        return;
      }
      toast.success(`Judging ${pluralize(total, "conversation")} with ${model}`, {
        description: `The judge's score and reasons appear in each conversation's quality details as they finish.${kept}`,
      });
      onRunStarted({ runId });
    } catch {
      toast.error("Could not judge the selected conversations", { description: "The server could not be reached. Try again." });
    } finally {
      setBulkBusy(false);
    }
  };
  const planDataset = async () => {
    const result = await planDatasetAction(workspaceSlug, {});
    if (result.ok) {
      toast.success(`Planned ${pluralize(result.data.planned, "conversation")}`, { description: "Click Generate All to create them." });
      refresh();
    } else toast.error("Could not plan the dataset", { description: result.error.message });
  };

  const emptyKind = rows.length ? null : data.allTotal === 0 ? "none" : "filtered";
  const hasActiveRun = runList.some((r) => !r.finished);

  /** The preview, beside the table ("panel", wide screens) or over it ("sheet", narrow ones). */
  const renderPreview = (layout: "panel" | "sheet") => (
    <SectionErrorBoundary section="Conversation preview">
      <ConversationPreview
        layout={layout}
        open={preview !== null}
        conversationId={preview?.conversationId ?? null}
        position={preview?.position ?? null}
        total={data.page.total}
        query={{ filter: state.filter, search: state.search, sort: state.sort }}
        onNavigate={onNavigate}
        onClose={closePreview}
        onChanged={refreshQuietly}
        onReview={runOptimisticReview}
      />
    </SectionErrorBoundary>
  );

  return (
    <div className="mx-auto w-full max-w-[1800px] space-y-4 px-4 py-4 lg:px-6">
      {!data.workerHealth.ok && data.workerHealth.problem ? (
        <Alert variant={data.workerHealth.starting ? "default" : "destructive"} role="alert" data-testid="worker-health">
          <ServerCrash aria-hidden />
          <AlertTitle>{data.workerHealth.starting ? "The generation worker is starting" : "No generation worker is running"}</AlertTitle>
          <AlertDescription>{data.workerHealth.problem}</AlertDescription>
        </Alert>
      ) : null}
      <DashboardHeader
        data={data}
        hasActiveRun={hasActiveRun}
        onGenerateAll={() => setGenerateScope({ scope: { kind: "all_not_generated" }, description: `every conversation not generated yet (${data.notGeneratedTotal})` })}
        onRetryAllFailed={() => setGenerateScope({ scope: { kind: "all_failed" }, description: `every failed conversation again (${data.failedTotal})` })}
        onExport={() => setExportOpen(true)}
      />
      <ConversationsTour />
      <SectionErrorBoundary section="Generation progress">
        <ProgressPanel
          runs={runList}
          streamErrors={streamErrors}
          open={panelOpen}
          onOpenChange={setPanelOpen}
          onDismiss={() => setRunIds((ids) => ids.filter((id) => runs[id] && !runs[id].finished))}
          onChanged={refresh}
        />
      </SectionErrorBoundary>
      {/* Wide screens: the preview is a resizable panel beside the table (US11.1.1), its width
          remembered; narrow screens (< PREVIEW_PANEL_MIN_PX) keep the sheet over the page. */}
      <Group
        id={PREVIEW_LAYOUT_ID}
        orientation="horizontal"
        defaultLayout={previewLayout.defaultLayout}
        onLayoutChanged={previewLayout.onLayoutChanged}
        elementRef={layoutRef}
        style={sideBySide ? { height: "calc(100dvh - 4.5rem)", minHeight: 480 } : { height: "auto", overflow: "visible" }}
      >
        <Panel id="conversations-table" minSize="35%" style={sideBySide ? undefined : { overflow: "visible" }}>
          <SectionErrorBoundary section="Conversation table">
            <div className="space-y-3">
              <div data-tour="filters">
                <DataTableToolbar table={table} search={state.search} onSearchChange={onSearchChange} searchLabel="Search conversations">
                  <Button
                    variant="ghost"
                    size="sm"
                    className="h-8 px-2"
                    aria-expanded={filtersOpen}
                    aria-controls="conversation-filter-buttons"
                    aria-label={filtersOpen ? "Hide filters" : "Show filters"}
                    title={filtersOpen ? "Hide filters" : "Show filters"}
                    onClick={() => setFiltersOpen((v) => !v)}
                  >
                    <SlidersHorizontal aria-hidden className="size-4" />
                    {filtersOpen ? null : "Filters"}
                  </Button>
                  <div id="conversation-filter-buttons" hidden={!filtersOpen}>
                    <ConversationFilters part="buttons" data={data} filter={state.filter} search={state.search} onChange={changeFilters} onClearAll={clearAll} />
                  </div>
                </DataTableToolbar>
              </div>
              <ConversationFilters part="summary" data={data} filter={state.filter} search={state.search} onChange={changeFilters} onClearAll={clearAll} />
              <BulkActionsBar
                count={selectedCount}
                matchingTotal={data.page.total}
                allMatchingSelected={selection.mode === "matching" && selection.except.size === 0}
                busy={bulkBusy}
                onSelectAllMatching={() => setSelection({ mode: "matching", matchKey, total: data.page.total, except: new Set() })}
                onClear={clearSelection}
                onGenerate={() => setGenerateScope({ scope: { kind: "target", target: target() }, description: `the ${pluralize(selectedCount, "selected conversation")}` })}
                onJudge={() => void runBulkJudge()}
                onApprove={() => setReviewAction("approve")}
                onReject={() => setReviewAction("reject")}
                onDelete={() => setDeleteOpen(true)}
              />
              <div data-tour="table">
                <ConversationsTable
                  table={table}
                  pending={pending}
                  density={density}
                  highlightedId={preview?.conversationId ?? null}
                  emptyKind={emptyKind}
                  onOpen={openRow}
                  onToggle={(row) => setRowSelected(row, !isSelected(row.conversationId))}
                  onClearFilters={clearAll}
                  onPlan={planDataset}
                />
              </div>
              <DataTablePagination
                page={state.page}
                perPage={state.perPage}
                total={data.page.total}
                perPageOptions={PER_PAGE_OPTIONS}
                onPageChange={(page) => void setParams({ page: page <= 1 ? null : page })}
                // Written even when it is 25: without perPage in the URL the user's rows per page apply.
            onPerPageChange={(perPage) => void setParams({ perPage, page: null }, { clearOnDefault: false })}
              />
              <StatusLegend />
            </div>
          </SectionErrorBoundary>
        </Panel>
        {sideBySide && (
          <>
            <Separator
              className="mx-1 w-1.5 shrink-0 rounded-full bg-border transition-colors hover:bg-primary/40 focus-visible:bg-primary/60 focus-visible:outline-none data-[separator=active]:bg-primary/60"
              aria-label="Resize the preview"
            />
            <Panel id="conversation-preview" defaultSize="45%" minSize={380} maxSize="65%" className="rounded-md border bg-background">
              {renderPreview("panel")}
            </Panel>
          </>
        )}
      </Group>
      {!wide && renderPreview("sheet")}
      <GenerateDialog
        open={generateScope !== null}
        onOpenChange={(open) => !open && setGenerateScope(null)}
        scope={generateScope?.scope ?? null}
        description={generateScope?.description ?? ""}
        workerProblem={data.workerHealth.ok ? null : data.workerHealth.problem}
        onStarted={onRunStarted}
      />
      <BulkReviewDialog action={reviewAction} count={selectedCount} items={reviewAction ? affected() : []} busy={bulkBusy} onCancel={() => setReviewAction(null)} onConfirm={runBulkReview} />
      <BulkDeleteDialog open={deleteOpen} count={selectedCount} items={deleteOpen ? affected() : []} busy={bulkBusy} onCancel={() => setDeleteOpen(false)} onConfirm={runBulkDelete} />
      <ExportDialog open={exportOpen} onOpenChange={setExportOpen} filter={state.filter} search={state.search} personas={data.options.personas} />
      <QualityDetailsDialog open={qualityFor !== null} onOpenChange={(open) => !open && setQualityFor(null)} conversationId={qualityFor} />
      <ErrorDetailsDialog open={errorFor !== null} onOpenChange={(open) => !open && setErrorFor(null)} conversationId={errorFor} onRetried={refresh} />
    </div>
  );
}
