"use client";
/**
 * A template's History (issue 11 item 4): every version with its number, author, time, change note,
 * last test result and "current" marker; any two chosen versions compared with the `diff` package
 * (diffLines over the settings, the system prompt and the template text), inline with +/− colouring
 * and screen-reader text ("Added:", "Removed:"); "Restore as new version".
 */
import { useMemo, useState } from "react";
import { diffLines, type ChangeObject } from "diff";
import { History, RotateCcw } from "lucide-react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { TemplateVersionItem } from "@/server/templates";

function TestBadge({ version }: { version: TemplateVersionItem }) {
  const test = version.lastTest;
  if (!test) return <Badge variant="outline">Not tested</Badge>;
  if (!test.ok) return <Badge variant="destructive" title={test.error}>Test failed</Badge>;
  return <Badge variant="success">Test passed{test.qualityScore !== null ? ` · ${test.qualityScore.toFixed(1)}` : ""}</Badge>;
}

function DiffBlock({ title, before, after }: { title: string; before: string; after: string }) {
  const parts = useMemo(() => diffLines(before.endsWith("\n") ? before : `${before}\n`, after.endsWith("\n") ? after : `${after}\n`), [before, after]);
  const changed = parts.some((p) => p.added || p.removed);
  return (
    <section className="space-y-1" aria-label={`${title} diff`}>
      <h4 className="text-sm font-medium">
        {title} {!changed && <span className="font-normal text-muted-foreground">· unchanged</span>}
      </h4>
      <pre className="max-h-96 overflow-auto rounded-md border bg-muted/30 p-2 font-mono text-xs leading-5 whitespace-pre-wrap">
        {parts.map((part: ChangeObject<string>, i) =>
          part.value
            .replace(/\n$/, "")
            .split("\n")
            .map((line, j) => (
              <div
                key={`${i}-${j}`}
                className={cn(
                  "px-1",
                  part.added && "bg-success/15 text-success dark:bg-success/20",
                  part.removed && "bg-destructive/10 text-destructive line-through decoration-destructive/40 dark:bg-destructive/20",
                )}
              >
                <span aria-hidden className="mr-2 inline-block w-3 select-none text-muted-foreground">
                  {part.added ? "+" : part.removed ? "−" : " "}
                </span>
                {(part.added || part.removed) && <span className="sr-only">{part.added ? "Added: " : "Removed: "}</span>}
                {line || " "}
              </div>
            )),
        )}
      </pre>
    </section>
  );
}

/** Settings as lines, so a changed temperature or max_tokens shows in the diff. */
const settings = (v: TemplateVersionItem) => `max_tokens: ${v.maxTokens}\ntemperature: ${v.temperature}`;

export function TemplateHistory({
  versions,
  currentVersion,
  onRestore,
  busy,
  readOnly,
}: {
  /** Newest first. */
  versions: TemplateVersionItem[];
  currentVersion: number;
  onRestore: (version: number) => void;
  busy: boolean;
  readOnly: boolean;
}) {
  const [from, setFrom] = useState(String(versions[1]?.version ?? versions[0]?.version ?? 1));
  const [to, setTo] = useState(String(versions[0]?.version ?? 1));
  const a = versions.find((v) => String(v.version) === from);
  const b = versions.find((v) => String(v.version) === to);

  if (versions.length === 0) return <p className="text-sm text-muted-foreground">Save the template to start its history.</p>;
  return (
    <div className="space-y-6">
      <ol className="divide-y rounded-md border" aria-label="Versions">
        {versions.map((v) => (
          <li key={v.version} className="flex flex-wrap items-start gap-x-3 gap-y-1 p-3 text-sm">
            <span className="font-mono font-semibold">v{v.version}</span>
            {v.isCurrent ? <Badge variant="info">current</Badge> : v.version > currentVersion ? <Badge variant="warning">draft, not in use</Badge> : null}
            <TestBadge version={v} />
            <span className="text-muted-foreground">
              {v.author || "unknown"} · <time dateTime={v.createdAt}>{formatDateTime(v.createdAt)}</time>
            </span>
            {!readOnly && !v.isCurrent && (
              <Button size="sm" variant="outline" className="ml-auto" disabled={busy} onClick={() => onRestore(v.version)}>
                <RotateCcw aria-hidden /> Restore v{v.version} as new version
              </Button>
            )}
            <p className="basis-full text-muted-foreground">{v.changeNote || <span className="italic">No change note.</span>}</p>
          </li>
        ))}
      </ol>

      {versions.length > 1 && (
        <div className="space-y-3">
          <div className="flex flex-wrap items-end gap-3">
            <h3 className="flex items-center gap-2 font-medium">
              <History className="size-4" aria-hidden /> Compare versions
            </h3>
            <div className="flex items-center gap-2">
              <Label htmlFor="diff-from">From</Label>
              <Select value={from} onValueChange={setFrom}>
                <SelectTrigger id="diff-from" className="w-24" aria-label="Compare from version">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {versions.map((v) => (
                    <SelectItem key={v.version} value={String(v.version)}>
                      v{v.version}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <Label htmlFor="diff-to">to</Label>
              <Select value={to} onValueChange={setTo}>
                <SelectTrigger id="diff-to" className="w-24" aria-label="Compare to version">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {versions.map((v) => (
                    <SelectItem key={v.version} value={String(v.version)}>
                      v{v.version}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          </div>
          {a && b && (
            <div className="space-y-4" aria-label={`Changes from v${a.version} to v${b.version}`} role="region">
              <DiffBlock title="Settings" before={settings(a)} after={settings(b)} />
              <DiffBlock title="System prompt" before={a.systemPrompt} after={b.systemPrompt} />
              <DiffBlock title="Template text" before={a.templateText} after={b.templateText} />
            </div>
          )}
        </div>
      )}
    </div>
  );
}
