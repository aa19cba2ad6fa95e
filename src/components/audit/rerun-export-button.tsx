"use client";
/**
 * Re-run for one export of the history (US5.2.2): asks the server to write the same export again
 * (same filters, format and checks, through the export dialog's own path), then offers the new
 * download and refreshes the history, where the new export appears at the top.
 */
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Loader2, RotateCcw } from "lucide-react";
import { toast } from "sonner";
import { pluralize } from "@/lib/format";
import { rerunExportAction } from "@/server/actions/audit";
import { Button } from "@/components/ui/button";

export function RerunExportButton({ slug, exportId, label }: { slug: string; exportId: string; /** What the export is, for the accessible name ("export of 12 Nov 2026, 09:14"). */ label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const rerun = async () => {
    setBusy(true);
    try {
      const result = await rerunExportAction(slug, { exportId });
      if (!result.ok) {
        toast.error("Could not re-run the export", { description: result.error.message });
        return;
      }
      const outcome = result.data;
      toast.success(`Exported ${pluralize(outcome.conversationCount, "conversation")} again`, {
        description: `New export ${outcome.exportId.slice(0, 8)} (${outcome.fileName}).`,
        duration: 15_000,
        action: { label: "Download", onClick: () => window.location.assign(outcome.downloadUrl) },
      });
      router.refresh();
    } catch {
      toast.error("Could not re-run the export", { description: "The server could not be reached. Try again." });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="outline" size="sm" onClick={() => void rerun()} disabled={busy} aria-label={`Re-run ${label}`}>
      {busy ? <Loader2 aria-hidden className="animate-spin" /> : <RotateCcw aria-hidden />}
      Re-run
    </Button>
  );
}
