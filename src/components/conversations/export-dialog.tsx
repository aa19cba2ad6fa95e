"use client";
/**
 * The export dialog (US5.1.1, US5.2.1; issue 12 items 4–5), opened by the header's Export button
 * or Ctrl/Cmd+E. The user picks which conversations (the table's current filters, all approved,
 * or a preset: "Template tier", "High quality only", "By persona…" and saved ones), the format,
 * the file name, a train/validation split, duplicate removal and a target model; the dialog
 * shows how many conversations will be written, the dataset checks' results and the first
 * records exactly as the file will hold them (previewExportAction runs the export's own code
 * without writing). Export writes one ZIP (data files, manifest, and for hf the dataset card),
 * downloads it and reports the real count: "Exported 87 approved conversations".
 */
import { UserName } from "@/components/accounts/user-names";
import { useEffect, useId, useMemo, useState } from "react";
import { AlertTriangle, CheckCircle2, Download, Loader2, Save, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { EXPORT_FORMATS, STATUS_LABELS, type ConversationStatus, type ExportFormat } from "@/lib/constants";
import type { ConversationFilter } from "@/lib/conversation-filter";
import { normalizeFilter } from "@/lib/conversation-filter";
import { BUILT_IN_EXPORT_PRESETS, type BuiltInExportPresetId } from "@/lib/export-presets";
import {
  DEDUP_THRESHOLD,
  safeFileStem,
  SPLIT_PERCENT,
  type ExportPresetView,
  type ExportPreviewView,
  type ExportRequestInput,
  type ExportSelection,
  type ExportSettings,
} from "@/lib/export-request";
import { pluralize } from "@/lib/format";
import { TARGET_FAMILIES, TARGET_FAMILY_LABELS, type TargetFamily } from "@/core/export/dataset-checks/target-families";
import { deleteExportPresetAction, exportAction, listExportPresetsAction, previewExportAction, saveExportPresetAction } from "@/server/actions/export";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectSeparator, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { useWorkspace } from "@/components/workspaces/workspace-provider";

/** Formats as the dialog names them (docs/formats.md). */
const FORMAT_OPTIONS: Record<ExportFormat, string> = {
  openai: "OpenAI (chat fine-tuning JSONL)",
  anthropic: "Anthropic (Bedrock fine-tuning JSONL)",
  sharegpt: "ShareGPT (LLaMA-Factory, Axolotl)",
  hf: "Hugging Face (messages JSONL + dataset card)",
  json: "Generic JSON with metadata",
};

/** Short names for the target menu. */
const TARGET_SHORT: Record<TargetFamily, string> = {
  "llama-3": "Llama 3",
  "qwen-3": "Qwen3",
  "gemma-3": "Gemma 3",
  "gpt-4o-mini": "GPT-4o mini",
  "claude-3-haiku": "Claude 3 Haiku",
};

/** Which conversations: the table's view, every approved one, a built-in preset, or a saved preset. */
type Source = { kind: "current" } | { kind: "approved" } | { kind: "builtin"; id: BuiltInExportPresetId } | { kind: "saved"; id: string };

const sourceValue = (source: Source) => (source.kind === "builtin" || source.kind === "saved" ? `${source.kind}:${source.id}` : source.kind);

/** Starts the browser download of a file the server prepared. */
function download(url: string, fileName: string) {
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export function ExportDialog({
  open,
  onOpenChange,
  filter,
  search,
  personas,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The table's current filter and search text. */
  filter: ConversationFilter;
  search: string;
  /** Personas for "By persona…" (key and display name). */
  personas: ReadonlyArray<{ key: string; name: string }>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-5xl">
        {open ? <ExportDialogBody filter={filter} search={search} personas={personas} onClose={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

/** The dialog's content; mounted fresh each time it opens, so it starts from the table's current filters. */
function ExportDialogBody({
  filter,
  search,
  personas,
  onClose,
}: {
  filter: ConversationFilter;
  search: string;
  personas: ReadonlyArray<{ key: string; name: string }>;
  onClose: () => void;
}) {
  const { slug: workspaceSlug } = useWorkspace();
  const hasView = Object.keys(normalizeFilter(filter)).length > 0 || search.trim() !== "";
  const [source, setSource] = useState<Source>(hasView ? { kind: "current" } : { kind: "approved" });
  const [persona, setPersona] = useState<string>(personas[0]?.key ?? "");
  const [format, setFormat] = useState<ExportFormat>("openai");
  const [fileName, setFileName] = useState("");
  const [splitOn, setSplitOn] = useState(false);
  const [splitText, setSplitText] = useState(String(SPLIT_PERCENT.default));
  const [dedupOn, setDedupOn] = useState(true);
  const [thresholdText, setThresholdText] = useState(String(DEDUP_THRESHOLD.default));
  const [target, setTarget] = useState<TargetFamily | "none">("none");
  const [presets, setPresets] = useState<ExportPresetView[]>([]);
  const [presetName, setPresetName] = useState("");
  const [preview, setPreview] = useState<ExportPreviewView | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  /** The request the shown preview (or error) belongs to; while it differs from the current one, a new preview is on its way. */
  const [previewedKey, setPreviewedKey] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const ids = { source: useId(), persona: useId(), format: useId(), file: useId(), split: useId(), splitPct: useId(), dedup: useId(), threshold: useId(), target: useId(), preset: useId() };

  useEffect(() => {
    let cancelled = false;
    listExportPresetsAction(workspaceSlug).then(
      (result) => !cancelled && result.ok && setPresets(result.data),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [workspaceSlug]);

  const splitPercent = Number(splitText);
  const splitError =
    splitOn && !(splitText.trim() !== "" && Number.isFinite(splitPercent) && splitPercent >= SPLIT_PERCENT.min && splitPercent <= SPLIT_PERCENT.max)
      ? `Enter a percentage from ${SPLIT_PERCENT.min} to ${SPLIT_PERCENT.max} (10 to 20 is usual).`
      : null;
  const threshold = Number(thresholdText);
  const thresholdError =
    dedupOn && !(thresholdText.trim() !== "" && Number.isFinite(threshold) && threshold >= DEDUP_THRESHOLD.min && threshold <= DEDUP_THRESHOLD.max)
      ? `Enter a similarity from ${DEDUP_THRESHOLD.min} to ${DEDUP_THRESHOLD.max} (0.8 finds close paraphrases).`
      : null;
  const fileStem = safeFileStem(fileName);
  const savedPreset = source.kind === "saved" ? presets.find((p) => p.id === source.id) : undefined;

  const selection: ExportSelection = useMemo(() => {
    if (source.kind === "approved") return { kind: "approved" };
    if (source.kind === "current") return { kind: "filtered", filter, search };
    if (source.kind === "builtin") {
      const preset = BUILT_IN_EXPORT_PRESETS.find((p) => p.id === source.id);
      return { kind: "filtered", filter: preset ? preset.filter(persona) : {}, search: "" };
    }
    return savedPreset?.settings.selection ?? { kind: "approved" };
  }, [source, filter, search, persona, savedPreset]);

  const settings: ExportSettings = {
    selection,
    format,
    split: splitOn && !splitError ? { validationPercent: splitPercent } : null,
    dedup: { enabled: dedupOn && !thresholdError, threshold: thresholdError ? DEDUP_THRESHOLD.default : threshold },
    target: target === "none" ? null : { family: target },
  };
  const request: ExportRequestInput = { ...settings, fileStem: fileStem || null };
  const requestKey = JSON.stringify(request);
  const invalid = Boolean(splitError || thresholdError);
  const checking = !invalid && previewedKey !== requestKey;

  // The preview follows every change, a moment after it (the checks read the whole selection).
  useEffect(() => {
    if (invalid) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      previewExportAction(workspaceSlug, JSON.parse(requestKey) as ExportRequestInput).then(
        (result) => {
          if (cancelled) return;
          setPreviewedKey(requestKey);
          if (result.ok) {
            setPreview(result.data);
            setPreviewError(null);
          } else setPreviewError(result.error.message);
        },
        () => {
          if (cancelled) return;
          setPreviewedKey(requestKey);
          setPreviewError("The preview could not be made. Check that the server is running, then try again.");
        },
      );
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [requestKey, invalid, workspaceSlug]);

  const applySaved = (preset: ExportPresetView) => {
    setFormat(preset.settings.format);
    setSplitOn(preset.settings.split !== null);
    if (preset.settings.split) setSplitText(String(preset.settings.split.validationPercent));
    setDedupOn(preset.settings.dedup.enabled);
    setThresholdText(String(preset.settings.dedup.threshold));
    setTarget(preset.settings.target?.family ?? "none");
  };
  const onSourceChange = (value: string) => {
    if (value === "current" || value === "approved") return setSource({ kind: value });
    const [kind, id] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
    if (kind === "builtin") return setSource({ kind: "builtin", id: id as BuiltInExportPresetId });
    const preset = presets.find((p) => p.id === id);
    if (preset) {
      applySaved(preset);
      setSource({ kind: "saved", id });
    }
  };

  const savePreset = async () => {
    const result = await saveExportPresetAction(workspaceSlug, { name: presetName, settings });
    if (!result.ok) {
      toast.error("The preset was not saved", { description: result.error.message });
      return;
    }
    setPresets((list) => [...list.filter((p) => p.id !== result.data.id), result.data].sort((a, b) => a.name.localeCompare(b.name)));
    setSource({ kind: "saved", id: result.data.id });
    setPresetName("");
    toast.success(`Preset “${result.data.name}” saved`);
  };
  const deletePreset = async (preset: ExportPresetView) => {
    const result = await deleteExportPresetAction(workspaceSlug, { id: preset.id });
    if (!result.ok) {
      toast.error("The preset was not deleted", { description: result.error.message });
      return;
    }
    setPresets((list) => list.filter((p) => p.id !== preset.id));
    setSource(hasView ? { kind: "current" } : { kind: "approved" });
    toast.success(`Preset “${preset.name}” deleted`);
  };

  const runExport = async () => {
    setExporting(true);
    try {
      const result = await exportAction(workspaceSlug, request);
      if (!result.ok) {
        toast.error("Nothing was exported", { description: result.error.message });
        return;
      }
      const outcome = result.data;
      download(outcome.downloadUrl, outcome.fileName);
      const details = [
        outcome.fileName,
        outcome.train !== null ? `${outcome.train} training / ${outcome.validation ?? 0} validation` : null,
        outcome.duplicatesRemoved ? `${pluralize(outcome.duplicatesRemoved, "duplicate")} left out` : null,
        outcome.renderFailures ? `${pluralize(outcome.renderFailures, "record")} failed the chat-template check` : null,
      ].filter(Boolean);
      toast.success(`Exported ${pluralize(outcome.conversationCount, outcome.allApproved ? "approved conversation" : "conversation")}`, { description: details.join(" · ") });
      onClose();
    } catch {
      toast.error("The export failed", { description: "The server could not be reached. Try again." });
    } finally {
      setExporting(false);
    }
  };

  const onlyApproved = preview ? preview.statuses.length === 1 && preview.statuses[0] === "approved" : true;
  const noun = (n: number) => pluralize(n, onlyApproved ? "approved conversation" : "conversation");
  const whatText =
    source.kind === "current"
      ? "matching current filters"
      : source.kind === "approved"
        ? ""
        : source.kind === "builtin"
          ? `(preset: ${BUILT_IN_EXPORT_PRESETS.find((p) => p.id === source.id)?.label.replace("…", "")}${source.id === "by-persona" ? ` ${personas.find((p) => p.key === persona)?.name ?? ""}` : ""})`
          : `(preset: ${savedPreset?.name ?? ""})`;
  const headline = preview ? `Exporting ${noun(preview.selected)}${whatText ? ` ${whatText}` : ""}` : "Counting the conversations…";
  const statusNote =
    preview && !onlyApproved ? `Statuses from your filters: ${preview.statuses.map((s) => STATUS_LABELS[s as ConversationStatus] ?? s).join(", ")}.` : null;
  const canExport = Boolean(preview && preview.written > 0 && !checking && !invalid && !previewError);

  return (
    <>
      <DialogHeader>
        <DialogTitle>Export conversations</DialogTitle>
        <DialogDescription aria-live="polite">
          {headline}
          {preview && preview.written !== preview.selected ? `; ${preview.written} after duplicates are left out` : ""}.{statusNote ? ` ${statusNote}` : ""}
        </DialogDescription>
      </DialogHeader>

      <div className="grid gap-6 md:grid-cols-[minmax(0,0.9fr)_minmax(0,1.1fr)]">
        <div className="space-y-3 text-sm">
          <div className="space-y-1.5">
            <Label htmlFor={ids.source}>Conversations</Label>
            <Select value={sourceValue(source)} onValueChange={onSourceChange}>
              <SelectTrigger id={ids.source} className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="current" disabled={!hasView}>
                  Matching current filters{hasView ? "" : " (no filters set)"}
                </SelectItem>
                <SelectItem value="approved">All approved conversations</SelectItem>
                <SelectSeparator />
                <SelectGroup>
                  <SelectLabel>Presets</SelectLabel>
                  {BUILT_IN_EXPORT_PRESETS.map((preset) => (
                    <SelectItem key={preset.id} value={`builtin:${preset.id}`} disabled={preset.id === "by-persona" && personas.length === 0}>
                      {preset.label}
                    </SelectItem>
                  ))}
                </SelectGroup>
                {presets.length ? (
                  <SelectGroup>
                    <SelectLabel>Saved presets</SelectLabel>
                    {presets.map((preset) => (
                      <SelectItem key={preset.id} value={`saved:${preset.id}`}>
                        {preset.name}
                      </SelectItem>
                    ))}
                  </SelectGroup>
                ) : null}
              </SelectContent>
            </Select>
            {source.kind === "builtin" ? (
              <p className="text-xs text-muted-foreground">{BUILT_IN_EXPORT_PRESETS.find((p) => p.id === source.id)?.description}.</p>
            ) : null}
            {source.kind === "saved" && savedPreset ? (
              <div className="flex h-5 items-center justify-between gap-2 text-xs text-muted-foreground">
                <span className="truncate">Saved by <UserName id={savedPreset.createdBy} />; its format and checks are applied.</span>
                <Button variant="ghost" size="sm" className="h-6 px-2 text-xs" onClick={() => void deletePreset(savedPreset)}>
                  <Trash2 aria-hidden className="size-3.5" />
                  Delete preset
                </Button>
              </div>
            ) : null}
          </div>

          {source.kind === "builtin" && source.id === "by-persona" ? (
            <div className="space-y-1.5">
              <Label htmlFor={ids.persona}>Persona</Label>
              <Select value={persona} onValueChange={setPersona}>
                <SelectTrigger id={ids.persona} className="w-full">
                  <SelectValue placeholder="Choose a persona" />
                </SelectTrigger>
                <SelectContent>
                  {personas.map((p) => (
                    <SelectItem key={p.key} value={p.key}>
                      {p.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          ) : null}

          <div className="space-y-1.5">
            <Label htmlFor={ids.format}>Format</Label>
            <Select value={format} onValueChange={(value) => setFormat(value as ExportFormat)}>
              <SelectTrigger id={ids.format} className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {EXPORT_FORMATS.map((value) => (
                  <SelectItem key={value} value={value}>
                    {FORMAT_OPTIONS[value]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>

          <div className="space-y-1.5">
            <Label htmlFor={ids.target}>Target model</Label>
            <Select value={target} onValueChange={(value) => setTarget(value as TargetFamily | "none")}>
              <SelectTrigger id={ids.target} className="w-full" aria-describedby={`${ids.target}-hint`}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="none">None</SelectItem>
                {TARGET_FAMILIES.map((family) => (
                  <SelectItem key={family} value={family}>
                    {TARGET_SHORT[family]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <p id={`${ids.target}-hint`} className="truncate text-xs text-muted-foreground" title={target === "none" ? undefined : TARGET_FAMILY_LABELS[target]}>
              {target === "none" ? "The model you will fine-tune: token counts and its chat template." : `${TARGET_FAMILY_LABELS[target]}: token counts and its chat template.`}
            </p>
          </div>

          <div className="space-y-1.5">
            <Label htmlFor={ids.file}>File name</Label>
            <div className="flex items-center gap-2">
              <Input
                id={ids.file}
                value={fileName}
                placeholder={preview?.defaultFileStem || "training-data"}
                onChange={(event) => setFileName(event.target.value)}
                onBlur={() => setFileName(fileStem)}
                maxLength={140}
                spellCheck={false}
                aria-describedby={`${ids.file}-hint`}
              />
              <span className="shrink-0 text-muted-foreground">.zip</span>
            </div>
            <p id={`${ids.file}-hint`} className="text-xs text-muted-foreground">
              {fileName && fileStem !== fileName ? `Saved as “${fileStem || "(default)"}”: letters, digits, dots, dashes and underscores only.` : "Letters, digits, . _ and -; empty keeps the descriptive name."}
            </p>
          </div>

          <fieldset className="space-y-2 rounded-md border px-3 pt-1 pb-3">
            <legend className="px-1 text-xs font-medium text-muted-foreground">Dataset checks</legend>
            <div className="flex flex-wrap items-center gap-2">
              <Checkbox id={ids.split} checked={splitOn} onCheckedChange={(value) => setSplitOn(value === true)} />
              <Label htmlFor={ids.split} className="font-normal">
                Split off a validation set
              </Label>
              <Input
                id={ids.splitPct}
                aria-label="Validation share in percent"
                className="h-8 w-16"
                inputMode="numeric"
                value={splitText}
                disabled={!splitOn}
                onChange={(event) => setSplitText(event.target.value)}
                aria-invalid={Boolean(splitError)}
              />
              <span className="text-muted-foreground">%</span>
            </div>
            {splitError ? (
              <p className="pl-6 text-xs text-destructive">{splitError}</p>
            ) : (
              <p className="pl-6 text-xs text-muted-foreground">Seeded, stratified by tier and persona; -train and -validation files.</p>
            )}
            <div className="flex flex-wrap items-center gap-2">
              <Checkbox id={ids.dedup} checked={dedupOn} onCheckedChange={(value) => setDedupOn(value === true)} />
              <Label htmlFor={ids.dedup} className="font-normal">
                Remove duplicates
              </Label>
              <span className="text-muted-foreground">similarity from</span>
              <Input
                id={ids.threshold}
                aria-label="Near-duplicate threshold"
                className="h-8 w-16"
                inputMode="decimal"
                value={thresholdText}
                disabled={!dedupOn}
                onChange={(event) => setThresholdText(event.target.value)}
                aria-invalid={Boolean(thresholdError)}
              />
            </div>
            {thresholdError ? (
              <p className="pl-6 text-xs text-destructive">{thresholdError}</p>
            ) : (
              <p className="pl-6 text-xs text-muted-foreground">Copies and near-copies (5-word phrases); the best-scoring is kept.</p>
            )}
          </fieldset>

        </div>

        <div className="min-w-0 space-y-3 text-sm">
          <section aria-label="Dataset checks" className="space-y-1.5">
            <h3 className="font-medium">Checks</h3>
            {previewError ? (
              <Alert variant="destructive">
                <AlertTriangle aria-hidden />
                <AlertTitle>The export cannot be prepared</AlertTitle>
                <AlertDescription>{previewError}</AlertDescription>
              </Alert>
            ) : !preview ? (
              <div className="space-y-2" role="status" aria-label="Checking">
                <Skeleton className="h-5 w-2/3" />
                <Skeleton className="h-5 w-1/2" />
              </div>
            ) : (
              <ChecksList preview={preview} />
            )}
          </section>
          <section aria-label="Preview" className="space-y-1.5">
            <h3 className="flex items-center gap-2 font-medium">
              Preview
              {preview?.previewFileName ? <span className="truncate font-mono text-xs font-normal text-muted-foreground">{preview.previewFileName}</span> : null}
              {checking ? <Loader2 aria-label="Updating" className="size-3.5 animate-spin text-muted-foreground" /> : null}
            </h3>
            {preview && preview.previewRecords.length ? (
              <div className="max-h-64 space-y-2 overflow-y-auto rounded-md border bg-muted/40 p-2" tabIndex={0} aria-label="First records as written">
                {preview.previewRecords.map((record, index) => (
                  <pre key={index} className="font-mono text-[11px] leading-snug break-all whitespace-pre-wrap" aria-label={`Record ${index + 1}`}>
                    {record}
                  </pre>
                ))}
              </div>
            ) : preview ? (
              <p className="text-muted-foreground">Nothing to preview: no conversation matches. Approve some conversations, or choose other filters.</p>
            ) : null}
            {preview?.fileNames.length ? (
              <p className="text-xs text-muted-foreground">
                The ZIP holds {preview.fileNames.slice(1).join(", ")}.
              </p>
            ) : null}
          </section>
        </div>
      </div>

      <DialogFooter className="sm:justify-between">
        <div className="flex items-center gap-2">
          <Input
            id={ids.preset}
            aria-label="Preset name"
            className="h-9 w-56"
            value={presetName}
            placeholder="Name these settings…"
            onChange={(event) => setPresetName(event.target.value)}
            maxLength={60}
          />
          <Button variant="outline" disabled={!presetName.trim() || invalid} onClick={() => void savePreset()}>
            <Save aria-hidden className="size-4" />
            Save preset
          </Button>
        </div>
        <div className="flex flex-col-reverse gap-2 sm:flex-row">
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={!canExport || exporting} onClick={() => void runExport()}>
            {exporting ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <Download aria-hidden className="size-4" />}
            {preview ? `Export ${pluralize(preview.written, "conversation")}` : "Export"}
          </Button>
        </div>
      </DialogFooter>
    </>
  );
}

/** The dataset checks' results, one line each, then the core's own messages. */
function ChecksList({ preview }: { preview: ExportPreviewView }) {
  const { checks } = preview;
  const lines: Array<{ ok: boolean; text: string }> = [];
  if (checks.duplicatesRemoved !== null) {
    lines.push(
      checks.duplicatesRemoved === 0
        ? { ok: true, text: "Duplicates: none found." }
        : { ok: true, text: `Duplicates: ${pluralize(checks.duplicatesRemoved, "conversation")} left out (${pluralize(checks.duplicateGroups ?? 0, "group")}), keeping the best-scoring of each.` },
    );
  } else lines.push({ ok: false, text: "Duplicates: not checked." });
  if (checks.train !== null) lines.push({ ok: true, text: `Split: ${checks.train} for training, ${checks.validation ?? 0} for validation.` });
  if (checks.tokens) {
    const t = checks.tokens;
    lines.push({
      ok: t.overContext === 0,
      text: `Tokens (${t.modelLabel}${t.exactTokenizer ? "" : ", approximate"}): ${t.min.toLocaleString("en-US")}–${t.max.toLocaleString("en-US")} per record, median ${t.median.toLocaleString("en-US")}; ${t.overContext === 0 ? "none" : pluralize(t.overContext, "record")} over the ${t.contextLength.toLocaleString("en-US")}-token context.`,
    });
  }
  if (checks.render) {
    const r = checks.render;
    lines.push(
      !r.available
        ? { ok: true, text: "Chat template: the vendor publishes none, so records are not rendered." }
        : r.failed === 0
          ? { ok: true, text: `Chat template: all ${pluralize(r.rendered, "record")} render, 0 failures.` }
          : { ok: false, text: `Chat template: ${r.failed} of ${pluralize(r.rendered, "record")} failed. ${r.firstFailure ?? ""}` },
    );
  }
  const extra = checks.messages.filter((message) => !/^Split: |duplicate group/.test(message));
  return (
    <ul className="space-y-1">
      {lines.map((line) => (
        <li key={line.text} className="flex items-start gap-2">
          {line.ok ? <CheckCircle2 aria-hidden className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" /> : <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0 text-amber-600 dark:text-amber-400" />}
          <span>{line.text}</span>
        </li>
      ))}
      {extra.map((message) => (
        <li key={message} className="pl-6 text-xs text-muted-foreground">
          {message}
        </li>
      ))}
    </ul>
  );
}
