"use client";
/**
 * The page header (US1.3.1, US2.2.2, US5.1.1): title and workspace, the simulated-provider notice,
 * and the actions Generate All, Retry All Failed (only when failures exist) and Export (opens the
 * export dialog, export-dialog.tsx).
 */
import Link from "next/link";
import { Download, Info, RotateCcw, Sparkles } from "lucide-react";
import { pluralize } from "@/lib/format";
import { Button } from "@/components/ui/button";
import type { ConversationsDashboardData } from "./types";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { workspacePaths } from "@/lib/workspace-paths";
import { ariaKeyShortcuts } from "@/lib/keyboard-shortcuts";
import { usePermission } from "@/components/accounts/viewer-context";

export function DashboardHeader({
  data,
  hasActiveRun,
  onGenerateAll,
  onRetryAllFailed,
  onExport,
}: {
  data: ConversationsDashboardData;
  hasActiveRun: boolean;
  onGenerateAll: () => void;
  onRetryAllFailed: () => void;
  /** Opens the export dialog (also Ctrl/Cmd+E). */
  onExport: () => void;
}) {
  const { slug: workspaceSlug } = useWorkspace();
  const generate = usePermission("generate");
  const exporting = usePermission("export");
  return (
    <header className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Conversations</h1>
          <p className="text-sm text-muted-foreground">
            {data.workspace.businessName ?? data.workspace.name ?? "Your workspace"} · {pluralize(data.allTotal, "conversation")}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {data.failedTotal > 0 && (
            <Button variant="outline" onClick={onRetryAllFailed} disabled={!generate.allowed} title={generate.reason ?? undefined}>
              <RotateCcw aria-hidden className="size-4" />
              Retry All Failed
            </Button>
          )}
          <Button
            variant="outline"
            onClick={onExport}
            disabled={!exporting.allowed}
            aria-keyshortcuts={ariaKeyShortcuts("openExport")}
            title={exporting.reason ?? "Export (Ctrl+E or ⌘E)"}
            data-tour="export"
          >
            <Download aria-hidden className="size-4" />
            Export
          </Button>
          <Button
            onClick={onGenerateAll}
            data-tour="generate"
            disabled={data.notGeneratedTotal === 0 || !generate.allowed}
            title={generate.reason ?? (data.notGeneratedTotal === 0 ? "Every conversation has been generated." : undefined)}
          >
            <Sparkles aria-hidden className="size-4" />
            Generate All
          </Button>
        </div>
      </div>
      {!generate.allowed && (
        <p role="note" className="text-sm text-muted-foreground">
          {generate.reason}
        </p>
      )}
      {!data.provider.isLanguageModel && (
        <div role="note" className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100">
          <Info aria-hidden className="mt-0.5 size-4 shrink-0" />
          <p>
            <strong>Simulated provider — not a language model.</strong> Conversations are composed from your documents and taxonomy so you can try the
            whole pipeline. To generate with a real model, choose it on the{" "}
            <Link href={workspacePaths(workspaceSlug).settings} className="font-medium underline underline-offset-4">
              Settings page
            </Link>{" "}
            (or set ANTHROPIC_API_KEY or OPENAI_API_KEY before <code>npm start</code>).
          </p>
        </div>
      )}
      {hasActiveRun ? <span className="sr-only">A generation run is in progress.</span> : null}
    </header>
  );
}
