"use client";
/**
 * Adds seed conversations (US10.3.1): upload a file (Bright Run seed JSON, OpenAI chat JSONL,
 * ShareGPT) or paste one conversation as "User: … / Assistant: …" lines; the server reads it and
 * lists what it holds (or every problem, with its line or entry); the user gives each conversation a
 * title, persona, emotional arc, topic, intent and tone; Import stores all of them or none.
 */
import { useId, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle, ClipboardPaste, FileUp, Loader2 } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { SEED_UPLOAD_FORMAT_LABELS } from "@/lib/seed-upload-formats";
import type { SeedMapping } from "@/core/import/import-seeds";
import { importSeedUploadAction, previewSeedUploadAction, type SeedUploadPreview } from "@/server/actions/seeds";
import type { SeedsPageData, SeedTaxonomyOption } from "@/server/seeds";

type Source = { kind: "file"; name: string; text: string } | { kind: "paste"; text: string };
type Dimension = Exclude<keyof SeedMapping, "title">;

const DIMENSIONS: Array<{ field: Dimension; label: string; list: keyof SeedsPageData["taxonomy"] }> = [
  { field: "persona", label: "Persona", list: "personas" },
  { field: "emotionalArc", label: "Emotional arc", list: "emotionalArcs" },
  { field: "topic", label: "Topic", list: "topics" },
  { field: "intent", label: "Intent", list: "intents" },
  { field: "tone", label: "Tone", list: "tones" },
];

const PASTE_EXAMPLE = "User: I just inherited $80,000 and I have no idea what to do with it.\nAssistant: That's a big moment — let's take it one step at a time…";

export function SeedUploader({ taxonomy }: { taxonomy: SeedsPageData["taxonomy"] }) {
  const { slug } = useWorkspace();
  const router = useRouter();
  const ids = useId();
  const [mode, setMode] = useState<"paste" | "file">("paste");
  const [pasted, setPasted] = useState("");
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<SeedUploadPreview | null>(null);
  const [mappings, setMappings] = useState<SeedMapping[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const missingKinds = DIMENSIONS.filter((d) => taxonomy[d.list].length === 0).map((d) => d.label.toLowerCase());

  function read(next: Source) {
    setSource(next);
    setProblem(null);
    startTransition(async () => {
      const result = await previewSeedUploadAction(slug, { text: next.text });
      if (!result.ok) {
        setPreview(null);
        setProblem(result.error.message);
        return;
      }
      setPreview(result.data);
      if (result.data.ok) {
        setMappings(result.data.conversations.map((c) => ({ title: c.suggestedTitle, persona: "", emotionalArc: "", topic: "", intent: "", tone: "" })));
      }
    });
  }

  function reset() {
    setSource(null);
    setPreview(null);
    setMappings([]);
    setPasted("");
    setProblem(null);
  }

  function importAll() {
    if (!source || !preview?.ok) return;
    startTransition(async () => {
      const result = await importSeedUploadAction(slug, {
        text: source.text,
        fileName: source.kind === "file" ? source.name : null,
        mappings: preview.mapped ? [] : mappings,
      });
      if (!result.ok) {
        setProblem(result.error.message);
        return;
      }
      const { created, unchanged } = result.data;
      toast.success(
        `Imported ${created.length === 1 ? `seed ${created[0]}` : `${created.length} seeds`}${unchanged ? `; ${unchanged} already there, left as they are` : ""}`,
      );
      reset();
      router.refresh();
    });
  }

  const setAll = (field: Dimension, value: string) => setMappings((list) => list.map((m) => ({ ...m, [field]: value })));
  const setOne = (index: number, patch: Partial<SeedMapping>) => setMappings((list) => list.map((m, i) => (i === index ? { ...m, ...patch } : m)));
  const incomplete = preview?.ok && !preview.mapped && mappings.some((m) => !m.title.trim() || DIMENSIONS.some((d) => !m[d.field]));

  return (
    <section aria-labelledby={`${ids}-title`} className="space-y-4 rounded-lg border p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={`${ids}-title`} className="text-lg font-semibold">
          Add seed conversations
        </h2>
        <div className="flex gap-1" role="group" aria-label="How to add seeds">
          <Button size="sm" variant={mode === "paste" ? "secondary" : "ghost"} aria-pressed={mode === "paste"} onClick={() => setMode("paste")}>
            <ClipboardPaste aria-hidden className="size-4" /> Paste text
          </Button>
          <Button size="sm" variant={mode === "file" ? "secondary" : "ghost"} aria-pressed={mode === "file"} onClick={() => setMode("file")}>
            <FileUp aria-hidden className="size-4" /> Upload a file
          </Button>
        </div>
      </div>
      {missingKinds.length > 0 && (
        <p className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 p-2 text-sm">
          <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0 text-warning" />
          Every seed needs a persona, emotional arc, topic, intent and tone. This workspace has no {missingKinds.join(", ")} yet: add them on the Customers page first.
        </p>
      )}
      {!preview?.ok &&
        (mode === "paste" ? (
          <div className="space-y-2">
            <Label htmlFor={`${ids}-paste`}>One conversation, a line per turn starting “User:” or “Assistant:”</Label>
            <Textarea id={`${ids}-paste`} value={pasted} onChange={(e) => setPasted(e.target.value)} rows={7} placeholder={PASTE_EXAMPLE} className="font-mono text-sm" />
            <div className="flex justify-end">
              <Button onClick={() => read({ kind: "paste", text: pasted })} disabled={!pasted.trim() || pending}>
                {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
                Read conversation
              </Button>
            </div>
          </div>
        ) : (
          <div className="space-y-2">
            <Label htmlFor={`${ids}-file`}>A .json, .jsonl or .txt file</Label>
            <Input
              id={`${ids}-file`}
              type="file"
              accept=".json,.jsonl,.txt,application/json,text/plain"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (file) read({ kind: "file", name: file.name, text: await file.text() });
              }}
            />
            <p className="text-xs text-muted-foreground">
              Bright Run seed JSON, OpenAI chat JSONL (one {"{"}&quot;messages&quot;: […]{"}"} per line) or ShareGPT ({"{"}&quot;conversations&quot;: [{"{"}&quot;from&quot;: &quot;human&quot;, &quot;value&quot;: …{"}"}]{"}"}). See docs/import-formats.md.
            </p>
          </div>
        ))}
      {preview && !preview.ok && (
        <div role="alert" className="space-y-1 rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm">
          <p className="font-medium text-destructive">
            Nothing can be imported{source?.kind === "file" ? ` from ${source.name}` : ""} yet: {preview.problems.length === 1 ? "1 problem" : `${preview.problems.length} problems`} to fix
            {preview.format ? ` (read as ${SEED_UPLOAD_FORMAT_LABELS[preview.format]})` : ""}.
          </p>
          <ul className="list-disc space-y-0.5 pl-5">
            {preview.problems.map((p, i) => (
              <li key={i}>
                {p.where && <span className="font-medium">{p.where}: </span>}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview?.ok && (
        <div className="space-y-3">
          <p className="text-sm">
            Read {preview.conversations.length === 1 ? "1 conversation" : `${preview.conversations.length} conversations`} as <strong>{SEED_UPLOAD_FORMAT_LABELS[preview.format]}</strong>
            {source?.kind === "file" ? ` from ${source.name}` : ""}.{" "}
            {preview.mapped ? "Its entries name their own persona, arc, topic, intent and tone." : "Say what each one is about:"}
          </p>
          {!preview.mapped && mappings.length > 1 && (
            <div className="grid gap-2 rounded-md border bg-muted/30 p-3 sm:grid-cols-2 lg:grid-cols-5" role="group" aria-label="Set for every conversation">
              {DIMENSIONS.map((d) => (
                <TaxonomySelect key={d.field} label={`${d.label} (all)`} options={taxonomy[d.list]} value="" onChange={(v) => setAll(d.field, v)} placeholder={`All: ${d.label.toLowerCase()}…`} />
              ))}
            </div>
          )}
          <ol className="space-y-3">
            {preview.conversations.map((c, i) => (
              <li key={i} className="space-y-2 rounded-md border p-3" aria-label={`Conversation ${i + 1}`}>
                <p className="text-xs text-muted-foreground">
                  {c.where} · {c.turns} turns{c.systemPrompt ? " · has its own system prompt" : ""} · “{c.firstUserTurn.slice(0, 120)}
                  {c.firstUserTurn.length > 120 ? "…" : ""}”
                </p>
                {preview.mapped ? (
                  <p className="text-sm font-medium">{c.suggestedTitle}</p>
                ) : (
                  <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-5">
                    <div className="space-y-1 sm:col-span-2 lg:col-span-5">
                      <Label htmlFor={`${ids}-title-${i}`} className="text-xs">
                        Title
                      </Label>
                      <Input id={`${ids}-title-${i}`} value={mappings[i]?.title ?? ""} onChange={(e) => setOne(i, { title: e.target.value })} maxLength={200} />
                    </div>
                    {DIMENSIONS.map((d) => (
                      <div key={d.field} className="min-w-0">
                        <TaxonomySelect label={d.label} options={taxonomy[d.list]} value={mappings[i]?.[d.field] ?? ""} onChange={(v) => setOne(i, { [d.field]: v })} />
                      </div>
                    ))}
                  </div>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
      {problem && (
        <pre role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm whitespace-pre-wrap text-destructive">
          {problem}
        </pre>
      )}
      {(preview || source) && (
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={reset} disabled={pending}>
            {preview?.ok ? "Cancel" : "Start again"}
          </Button>
          {preview?.ok && (
            <Button onClick={importAll} disabled={pending || Boolean(incomplete)} title={incomplete ? "Give every conversation a title, persona, arc, topic, intent and tone" : undefined}>
              {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
              Import {preview.conversations.length === 1 ? "seed" : `${preview.conversations.length} seeds`}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

function TaxonomySelect({ label, options, value, onChange, placeholder }: { label: string; options: SeedTaxonomyOption[]; value: string; onChange: (value: string) => void; placeholder?: string }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <Label htmlFor={id} className="text-xs">
        {label}
      </Label>
      <Select value={value} onValueChange={onChange}>
        <SelectTrigger id={id} className="h-8 w-full" aria-label={label}>
          <SelectValue placeholder={placeholder ?? `Choose…`} />
        </SelectTrigger>
        <SelectContent>
          {options.map((o) => (
            <SelectItem key={o.key} value={o.key}>
              {o.name}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
