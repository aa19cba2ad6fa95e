"use client";
/**
 * The page header (US1.3.1, US2.2.2, US5.1.1): title and workspace, the simulated-provider notice,
 * and the actions Generate All, Retry All Failed (only when failures exist) and Export (approved
 * conversations in a fine-tuning format, downloaded by the browser).
 */
import { useState } from "react";
import Link from "next/link";
import { ChevronDown, Download, Info, Loader2, RotateCcw, Sparkles } from "lucide-react";
import { toast } from "sonner";
import { pluralize } from "@/lib/format";
import { exportApprovedAction } from "@/server/actions/export";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import type { ConversationsDashboardData } from "./types";

/** Export formats offered, as `brightrun export --format` names them (docs/formats.md). */
const EXPORT_FORMATS = [
  { value: "openai", label: "OpenAI (chat fine-tuning JSONL)" },
  { value: "anthropic", label: "Anthropic (Bedrock fine-tuning JSONL)" },
  { value: "sharegpt", label: "ShareGPT (LLaMA-Factory, Axolotl)" },
  { value: "hf", label: "Hugging Face (messages JSONL)" },
  { value: "json", label: "Generic JSON with metadata" },
] as const;

type ExportFormat = (typeof EXPORT_FORMATS)[number]["value"];

/** Starts the browser download of an export's data file. */
function download(url: string, fileName: string) {
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export function DashboardHeader({
  data,
  hasActiveRun,
  onGenerateAll,
  onRetryAllFailed,
}: {
  data: ConversationsDashboardData;
  hasActiveRun: boolean;
  onGenerateAll: () => void;
  onRetryAllFailed: () => void;
}) {
  const [exporting, setExporting] = useState(false);
  const runExport = async (format: ExportFormat) => {
    setExporting(true);
    try {
      const result = await exportApprovedAction({ format });
      if (!result.ok) {
        toast.error("Nothing was exported", { description: result.error.message });
        return;
      }
      download(result.data.downloadUrl, result.data.fileName);
      toast.success(`Exported ${pluralize(result.data.conversationCount, "approved conversation")}`, { description: `${result.data.fileName} (${result.data.format})` });
    } catch {
      toast.error("The export failed", { description: "The server could not be reached. Try again." });
    } finally {
      setExporting(false);
    }
  };
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
            <Button variant="outline" onClick={onRetryAllFailed}>
              <RotateCcw aria-hidden className="size-4" />
              Retry All Failed
            </Button>
          )}
          <div className="flex items-center">
            <Button variant="outline" className="rounded-r-none" disabled={exporting} onClick={() => runExport("openai")}>
              {exporting ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <Download aria-hidden className="size-4" />}
              Export
            </Button>
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button variant="outline" size="icon" className="rounded-l-none border-l-0" aria-label="Choose export format" disabled={exporting}>
                  <ChevronDown aria-hidden className="size-4" />
                </Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent align="end">
                <DropdownMenuLabel>Export approved conversations as</DropdownMenuLabel>
                <DropdownMenuSeparator />
                {EXPORT_FORMATS.map((f) => (
                  <DropdownMenuItem key={f.value} onSelect={() => void runExport(f.value)}>
                    {f.label}
                  </DropdownMenuItem>
                ))}
              </DropdownMenuContent>
            </DropdownMenu>
          </div>
          <Button onClick={onGenerateAll} disabled={data.notGeneratedTotal === 0} title={data.notGeneratedTotal === 0 ? "Every conversation has been generated." : undefined}>
            <Sparkles aria-hidden className="size-4" />
            Generate All
          </Button>
        </div>
      </div>
      {!data.provider.isLanguageModel && (
        <div role="note" className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100">
          <Info aria-hidden className="mt-0.5 size-4 shrink-0" />
          <p>
            <strong>Simulated provider — not a language model.</strong> Conversations are composed from your documents and taxonomy so you can try the
            whole pipeline. To generate with a real model, choose it on the{" "}
            <Link href="/settings" className="font-medium underline underline-offset-4">
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
