"use client";

import { useId, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Activity, Loader2 } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { DEFAULT_RETENTION, MAX_RETENTION_DAYS, type RetentionSettings } from "@/core/retention/retention-policy";
import { workspacePaths } from "@/lib/workspace-paths";
import { saveRetentionSettingsAction } from "@/server/actions/workspaces";

/** A typed number of days: a whole number from 1 to MAX_RETENTION_DAYS, or the reason it is not. */
function daysProblem(label: string, value: string, optional: boolean): string | null {
  const trimmed = value.trim();
  if (trimmed === "") return optional ? null : `${label}: enter a number of days.`;
  const n = Number(trimmed);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RETENTION_DAYS) return `${label}: enter a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`;
  return null;
}

/**
 * The Settings page's Retention and privacy section (issue 13 item 6; docs/retention.md): days to
 * keep generation logs (default 90, FR1.2.1) and exports with their logs (default 365, FR1.2.3),
 * days after which request and response payloads are dropped (empty = kept as long as the row),
 * and PII redaction of new payloads. The server checks everything again (checkRetentionSettings).
 * Also links the database health page.
 */
export function RetentionSettingsForm({ slug, initial, disabled }: { slug: string; initial: RetentionSettings; disabled: boolean }) {
  const router = useRouter();
  const id = useId();
  const [logs, setLogs] = useState(String(initial.generationLogRetentionDays));
  const [exportsDays, setExportsDays] = useState(String(initial.exportRetentionDays));
  const [payloads, setPayloads] = useState(initial.payloadRetentionDays === null ? "" : String(initial.payloadRetentionDays));
  const [redact, setRedact] = useState(initial.redactPii);
  const [pending, startTransition] = useTransition();

  const problems = [
    daysProblem("Keep generation logs for", logs, false),
    daysProblem("Keep exports and export logs for", exportsDays, false),
    daysProblem("Drop payloads after", payloads, true),
  ].filter((p): p is string => p !== null);
  if (!problems.length && payloads.trim() !== "" && Number(payloads) >= Number(logs)) {
    problems.push(`Drop payloads after: enter fewer days than the ${logs} days generation logs are kept, or leave it empty.`);
  }
  const settings: RetentionSettings = {
    generationLogRetentionDays: Number(logs),
    exportRetentionDays: Number(exportsDays),
    payloadRetentionDays: payloads.trim() === "" ? null : Number(payloads),
    redactPii: redact,
  };
  const changed =
    settings.generationLogRetentionDays !== initial.generationLogRetentionDays ||
    settings.exportRetentionDays !== initial.exportRetentionDays ||
    settings.payloadRetentionDays !== initial.payloadRetentionDays ||
    settings.redactPii !== initial.redactPii;

  function save(next: RetentionSettings) {
    startTransition(async () => {
      const result = await saveRetentionSettingsAction(slug, next);
      if (!result.ok) return void toast.error(result.error.message);
      const saved = result.data;
      setLogs(String(saved.generationLogRetentionDays));
      setExportsDays(String(saved.exportRetentionDays));
      setPayloads(saved.payloadRetentionDays === null ? "" : String(saved.payloadRetentionDays));
      setRedact(saved.redactPii);
      toast.success(
        `Retention saved: generation logs ${saved.generationLogRetentionDays} days, exports ${saved.exportRetentionDays} days, payloads ${
          saved.payloadRetentionDays === null ? "kept with their row" : `dropped after ${saved.payloadRetentionDays} days`
        }${saved.redactPii ? ", e-mail addresses and phone numbers redacted" : ""}.`,
      );
      router.refresh();
    });
  }

  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4 rounded-lg border p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="space-y-1">
          <h2 id={`${id}-title`} className="text-lg font-semibold">
            Retention and privacy
          </h2>
          <p className="text-sm text-muted-foreground">
            A scheduled job deletes audit records older than these windows every hour (also on demand: <code>brightrun retention run</code>). Review
            history is never deleted.
          </p>
        </div>
        <Link href={workspacePaths(slug).health} className="inline-flex items-center gap-1.5 text-sm font-medium underline-offset-4 hover:underline">
          <Activity aria-hidden className="size-4" />
          Database health
        </Link>
      </div>
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (!problems.length) save(settings);
        }}
      >
        <div className="grid gap-3 sm:grid-cols-3 sm:items-end">
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-logs`}>Keep generation logs for (days)</Label>
            <Input id={`${id}-logs`} type="number" inputMode="numeric" min={1} max={MAX_RETENTION_DAYS} step={1} value={logs} onChange={(e) => setLogs(e.target.value)} disabled={disabled} />
          </div>
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-exports`}>Keep exports and export logs for (days)</Label>
            <Input
              id={`${id}-exports`}
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_RETENTION_DAYS}
              step={1}
              value={exportsDays}
              onChange={(e) => setExportsDays(e.target.value)}
              disabled={disabled}
            />
          </div>
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-payloads`}>Drop payloads after (days)</Label>
            <Input
              id={`${id}-payloads`}
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_RETENTION_DAYS}
              step={1}
              placeholder="Keep with the row"
              value={payloads}
              onChange={(e) => setPayloads(e.target.value)}
              disabled={disabled}
            />
          </div>
        </div>
        <p className="text-sm text-muted-foreground">
          Dropping payloads removes a call&apos;s request and response text; its tokens, cost, duration and error stay in the generation log. Deleting an
          export also removes its folder from disk.
        </p>
        <div className="flex items-start gap-3">
          <Switch id={`${id}-redact`} checked={redact} onCheckedChange={setRedact} disabled={disabled} />
          <div className="space-y-0.5">
            <Label htmlFor={`${id}-redact`}>Redact e-mail addresses and phone numbers in logged payloads</Label>
            <p className="text-sm text-muted-foreground">Applies to calls logged from now on; what is already logged is not changed.</p>
          </div>
        </div>
        {problems.length > 0 && (
          <p role="alert" className="text-sm text-destructive">
            {problems[0]}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="outline" disabled={disabled || pending || !changed || problems.length > 0}>
            {pending && <Loader2 aria-hidden className="animate-spin" />}
            Save retention
          </Button>
          <Button
            type="button"
            variant="ghost"
            disabled={
              disabled ||
              pending ||
              (initial.generationLogRetentionDays === DEFAULT_RETENTION.generationLogRetentionDays &&
                initial.exportRetentionDays === DEFAULT_RETENTION.exportRetentionDays &&
                initial.payloadRetentionDays === DEFAULT_RETENTION.payloadRetentionDays &&
                initial.redactPii === DEFAULT_RETENTION.redactPii)
            }
            onClick={() => save(DEFAULT_RETENTION)}
          >
            Reset to 90 and 365 days
          </Button>
        </div>
      </form>
    </section>
  );
}
