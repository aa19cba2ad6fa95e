"use client";
/**
 * A template's History (issue 11 item 4): every version with its number, author, time, change note,
 * last test result and "current" marker; any two chosen versions compared with the `diff` package
 * (diffLines over the settings, the system prompt and the template text, and diffWords inside a
 * changed passage), inline with +/− colouring, the changed words marked, and screen-reader text
 * ("Added:", "Removed:"); "Restore as new version".
 */
import { useMemo, useState } from "react";
import { diffLines, diffWords, type ChangeObject } from "diff";
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

type Segment = { text: string; changed: boolean };
type DiffLine = { kind: "added" | "removed" | "same"; segments: Segment[] };

/** Splits word-level changes into lines of one side ("removed": the old text, "added": the new), marking the changed words. */
function sideLines(changes: ChangeObject<string>[], side: "added" | "removed"): DiffLine[] {
  const lines: Segment[][] = [[]];
  for (const change of changes) {
    if ((side === "removed" && change.added) || (side === "added" && change.removed)) continue;
    const changed = side === "removed" ? Boolean(change.removed) : Boolean(change.added);
    change.value.split("\n").forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece) lines[lines.length - 1].push({ text: piece, changed });
    });
  }
  if (lines.length > 1 && lines[lines.length - 1].length === 0) lines.pop();
  return lines.map((segments) => ({ kind: side, segments }));
}

/**
 * The lines to show: diffLines of the two texts; a removed block followed by an added one (a changed
 * passage) is compared word by word (diffWords) so the changed words stand out.
 */
function diffRows(before: string, after: string): DiffLine[] {
  const parts = diffLines(before.endsWith("\n") ? before : `${before}\n`, after.endsWith("\n") ? after : `${after}\n`);
  const rows: DiffLine[] = [];
  const plain = (value: string, kind: DiffLine["kind"]) =>
    value
      .replace(/\n$/, "")
      .split("\n")
      .forEach((line) => rows.push({ kind, segments: [{ text: line, changed: false }] }));
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      const words = diffWords(part.value.replace(/\n$/, ""), next.value.replace(/\n$/, ""));
      rows.push(...sideLines(words, "removed"), ...sideLines(words, "added"));
      i++;
    } else plain(part.value, part.added ? "added" : part.removed ? "removed" : "same");
  }
  return rows;
}

function DiffBlock({ title, before, after }: { title: string; before: string; after: string }) {
  const rows = useMemo(() => diffRows(before, after), [before, after]);
  const changed = rows.some((r) => r.kind !== "same");
  return (
    <section className="space-y-1" aria-label={`${title} diff`}>
      <h4 className="text-sm font-medium">
        {title} {!changed && <span className="font-normal text-muted-foreground">· unchanged</span>}
      </h4>
      <pre className="max-h-96 overflow-auto rounded-md border bg-muted/30 p-2 font-mono text-xs leading-5 whitespace-pre-wrap">
        {rows.map((row, i) => (
          <div
            key={i}
            className={cn("px-1", row.kind === "added" && "bg-success/10 dark:bg-success/15", row.kind === "removed" && "bg-destructive/10 dark:bg-destructive/15")}
          >
            <span aria-hidden className={cn("mr-2 inline-block w-3 select-none", row.kind === "added" ? "text-success" : row.kind === "removed" ? "text-destructive" : "text-muted-foreground")}>
              {row.kind === "added" ? "+" : row.kind === "removed" ? "−" : " "}
            </span>
            {row.kind !== "same" && <span className="sr-only">{row.kind === "added" ? "Added: " : "Removed: "}</span>}
            {row.segments.length === 0
              ? " "
              : row.segments.map((segment, j) =>
                  segment.changed ? (
                    <mark key={j} className={cn("rounded-sm px-0.5", row.kind === "added" ? "bg-success/30 text-foreground" : "bg-destructive/30 text-foreground line-through decoration-destructive/60")}>
                      {segment.text}
                    </mark>
                  ) : (
                    <span key={j}>{segment.text}</span>
                  ),
                )}
          </div>
        ))}
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
