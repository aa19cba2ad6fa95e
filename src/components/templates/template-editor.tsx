"use client";
/**
 * The template editor (issue 11 items 2, 4, 5): the template's fields, the system prompt and template
 * text in CodeMirror (placeholders highlighted, completion, inline errors from validateTemplateText,
 * the same problems listed below in plain text with line:column), the prompt-caching note, the
 * lifecycle buttons (Save, Save as draft, Activate / Deactivate, Make default, Delete) and the
 * History tab with diffs. The right-hand pane shows what `renderPreview` / `renderTest` render for
 * the current draft (the preview and "Test Template" panels). Unsaved changes are guarded.
 */
import { useEffect, useMemo, useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle, CheckCircle2, ChevronDown, Info, Save, Star, Trash2 } from "lucide-react";
import { toast } from "sonner";

import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { activationRefusal, templateContentChanged, templateMetadataChanged, versionLabel } from "@/core/templates/template-lifecycle";
import { TEMPLATE_PARAMETER_SOURCES } from "@/core/templates/template-parameters";
import { sharedTemplatePrefix } from "@/core/templates/render-template";
import { validateTemplateText } from "@/core/templates/validate-template";
import { TIERS, TIER_LABELS, type Tier } from "@/lib/constants";
import { TEMPLATE_MAX_TOKENS, TEMPLATE_TEMPERATURE, templateDraftSchema, type TemplateDraft, type TemplateTestSummary } from "@/lib/template-draft";
import { cn } from "@/lib/utils";
import {
  activateTemplateAction,
  createTemplateAction,
  deactivateTemplateAction,
  deleteTemplateAction,
  makeTemplateDefaultAction,
  restoreTemplateVersionAction,
  saveTemplateAction,
} from "@/server/actions/templates";
import type { TemplateEditorData } from "@/server/templates";
import { TemplateCodeEditor } from "./template-code-editor";
import { TemplateHistory } from "./template-history";
import { TemplateStatusBadge } from "./template-list";

/** What the preview and test panels are given: the unsaved draft and the saved version it started from. */
export interface TemplatePaneContext {
  draft: TemplateDraft;
  /** Null for a template not saved yet. */
  templateId: string | null;
  /** The newest saved version (what the editor opened), null when not saved yet. */
  version: number | null;
  /** Call after a test so the activation state (require-test) is refreshed. */
  onTested: (summary: TemplateTestSummary) => void;
}

/**
 * Minimum cacheable prompt length of Anthropic prompt caching: 1024 tokens for Claude Sonnet and
 * Opus models, 2048 for Haiku (Anthropic prompt caching docs, "Cache limitations: minimum cacheable
 * prompt length").
 */
const CACHE_MINIMUM_TOKENS = { sonnet: 1024, haiku: 2048 } as const;

/** Token estimate: characters ÷ 4, rounded up (Claude's current tokenizer is not published; an estimate, labelled so). */
const estimateTokens = (text: string) => Math.ceil(text.length / 4);

function CachingNote({ draft, workspaceValues }: { draft: TemplateDraft; workspaceValues: Record<string, string> }) {
  let prefix = "";
  try {
    prefix = sharedTemplatePrefix(draft.templateText, workspaceValues, TEMPLATE_PARAMETER_SOURCES);
  } catch {
    return null; // A syntax error is listed with the problems; nothing to say about caching yet.
  }
  const tokens = estimateTokens(draft.systemPrompt) + estimateTokens(prefix);
  const long = tokens >= CACHE_MINIMUM_TOKENS.sonnet;
  return (
    <p className={cn("flex gap-2 rounded-md border p-3 text-sm", long ? "text-muted-foreground" : "border-warning/40 bg-warning/10")} data-testid="caching-note">
      <Info className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>
        {long ? (
          <>
            The fixed part (system prompt and the template text before the first per-conversation placeholder) is ~{tokens.toLocaleString()} tokens, enough for prompt caching with Claude Sonnet
            (at least {CACHE_MINIMUM_TOKENS.sonnet.toLocaleString()}; Haiku needs {CACHE_MINIMUM_TOKENS.haiku.toLocaleString()}).
          </>
        ) : (
          <>
            The fixed part is ~{tokens.toLocaleString()} tokens; prompt caching needs at least {CACHE_MINIMUM_TOKENS.sonnet.toLocaleString()} (Claude Sonnet;{" "}
            {CACHE_MINIMUM_TOKENS.haiku.toLocaleString()} for Haiku). Move per-conversation values such as {"{chunk_content}"} after the fixed instructions.
          </>
        )}{" "}
        <span className="text-muted-foreground">Tokens estimated as characters ÷ 4.</span>
      </span>
    </p>
  );
}

function MultiSelect({
  label,
  allLabel,
  options,
  value,
  onChange,
  disabled,
}: {
  label: string;
  allLabel: string;
  options: Array<{ key: string; name: string }>;
  value: string[];
  onChange: (value: string[]) => void;
  disabled: boolean;
}) {
  const names = options.filter((o) => value.includes(o.key)).map((o) => o.name);
  const unknown = value.filter((k) => !options.some((o) => o.key === k));
  const summary = value.length === 0 ? allLabel : [...names, ...unknown].join(", ");
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild disabled={disabled}>
        <Button variant="outline" className="w-full justify-between font-normal" aria-label={`${label}: ${summary}`}>
          <span className="truncate">{summary}</span>
          <ChevronDown aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="max-h-80 w-72 overflow-auto" align="start">
        <DropdownMenuLabel>{label}</DropdownMenuLabel>
        <DropdownMenuCheckboxItem checked={value.length === 0} onCheckedChange={() => onChange([])} onSelect={(e) => e.preventDefault()}>
          {allLabel}
        </DropdownMenuCheckboxItem>
        <DropdownMenuSeparator />
        {options.length === 0 && <p className="px-2 py-1.5 text-sm text-muted-foreground">None described yet (Customers page).</p>}
        {options.map((o) => (
          <DropdownMenuCheckboxItem
            key={o.key}
            checked={value.includes(o.key)}
            onSelect={(e) => e.preventDefault()}
            onCheckedChange={(checked) => onChange(checked ? [...value, o.key] : value.filter((k) => k !== o.key))}
          >
            {o.name}
          </DropdownMenuCheckboxItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

type Result = { ok: true; data: { message: string; key?: string } } | { ok: false; error: { message: string } };

export function TemplateEditor({
  data,
  initialDraft,
  readOnly,
  renderPreview,
  renderTest,
}: {
  data: TemplateEditorData;
  /** The draft to open: the newest version of a saved template, or a blank one. */
  initialDraft: TemplateDraft;
  readOnly: boolean;
  renderPreview?: (context: TemplatePaneContext) => ReactNode;
  renderTest?: (context: TemplatePaneContext) => ReactNode;
}) {
  const { slug, paths } = useWorkspace();
  const router = useRouter();
  const template = data.template;
  const [draft, setDraft] = useState<TemplateDraft>(initialDraft);
  const [saved, setSaved] = useState<TemplateDraft>(initialDraft);
  const [changeNote, setChangeNote] = useState("");
  const [tab, setTab] = useState<"edit" | "history">("edit");
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [tests, setTests] = useState<Record<number, TemplateTestSummary>>({});
  const [pending, startTransition] = useTransition();

  const dirty = templateContentChanged(draft, saved) || templateMetadataChanged(draft, saved);
  const problems = useMemo(() => validateTemplateText(draft.templateText, draft.tier), [draft.templateText, draft.tier]);
  const errors = problems.filter((p) => p.severity === "error");
  const fieldIssues = useMemo(() => {
    const parsed = templateDraftSchema.safeParse(draft);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  }, [draft]);
  const canSave = !readOnly && !pending && errors.length === 0 && fieldIssues.length === 0;

  // Unsaved-changes guard: closing the tab, reloading, and following a link away from the editor.
  useEffect(() => {
    if (!dirty) return;
    const beforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    const onClick = (event: MouseEvent) => {
      const anchor = (event.target as HTMLElement | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!anchor || anchor.target === "_blank" || event.defaultPrevented) return;
      if (!window.confirm("You have unsaved changes to this template. Leave without saving?")) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", beforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", beforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty]);

  const set = <K extends keyof TemplateDraft>(key: K, value: TemplateDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const run = (work: () => Promise<Result>, after?: (data: { message: string; key?: string }) => void) =>
    startTransition(async () => {
      const result = await work();
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      toast.success(result.data.message);
      if (after) after(result.data);
      else router.refresh();
    });

  const save = (mode: "save" | "draft" | "activate") => {
    if (template === null) {
      run(
        () => createTemplateAction(slug, { draft, mode, changeNote }),
        (result) => {
          setSaved(draft);
          router.push(paths.template(result.key!));
        },
      );
      return;
    }
    run(
      () => saveTemplateAction(slug, { key: template.key, draft, mode: mode === "activate" ? "save" : mode, changeNote }),
      () => {
        setSaved(draft);
        setChangeNote("");
        router.refresh();
      },
    );
  };

  const latest = data.versions[0];
  const latestTest = latest ? (tests[latest.version] ?? latest.lastTest) : null;
  const refusal = template && latest ? activationRefusal({ requireTest: data.requireTemplateTest, version: { version: latest.version, lastTest: latestTest } }) : null;
  const latestIsCurrent = template ? template.latestVersion === template.currentVersion : true;
  const showActivate = template !== null && (template.status !== "active" || !latestIsCurrent);
  const paneContext: TemplatePaneContext = {
    draft,
    templateId: template?.id ?? null,
    version: latest?.version ?? null,
    onTested: (summary) => {
      if (latest) setTests((t) => ({ ...t, [latest.version]: summary }));
      router.refresh();
    },
  };
  const preview = renderPreview?.(paneContext);
  const test = renderTest?.(paneContext);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        {template ? (
          <>
            <TemplateStatusBadge status={template.status} />
            <span className="text-sm text-muted-foreground" data-testid="template-version-state">
              {versionLabel({ current: template.currentVersion, latest: template.latestVersion })}
              {template.latestVersion > template.currentVersion ? ` (v${template.latestVersion} not in use; v${template.currentVersion} in use)` : ""}
            </span>
            {template.isDefault && (
              <span className="inline-flex items-center gap-1 text-sm text-muted-foreground">
                <Star className="size-3.5 fill-current" aria-hidden /> default for {TIER_LABELS[template.draft.tier]}
              </span>
            )}
          </>
        ) : (
          <span className="text-sm text-muted-foreground">New template: it is saved as a draft (v1) until you activate it.</span>
        )}
        {dirty && <span className="text-sm font-medium text-warning">Unsaved changes</span>}
      </div>

      {!readOnly && (
        <div className="flex flex-wrap items-center gap-2 rounded-md border p-3">
          <Button onClick={() => save("save")} disabled={!canSave || (template !== null && !dirty)}>
            <Save aria-hidden /> Save
          </Button>
          <Button variant="outline" onClick={() => save("draft")} disabled={!canSave || (template !== null && !dirty)}>
            Save as draft
          </Button>
          {template === null && (
            <Button variant="outline" onClick={() => save("activate")} disabled={!canSave || data.requireTemplateTest} title={data.requireTemplateTest ? "This workspace requires a successful test before activation." : undefined}>
              Save and activate
            </Button>
          )}
          {template && showActivate && (
            <Button
              variant="secondary"
              disabled={pending || dirty || refusal !== null}
              onClick={() => run(() => activateTemplateAction(slug, { key: template.key, version: template.latestVersion }))}
            >
              <CheckCircle2 aria-hidden /> Activate v{template.latestVersion}
            </Button>
          )}
          {template && template.status === "active" && (
            <Button variant="outline" disabled={pending} onClick={() => run(() => deactivateTemplateAction(slug, { key: template.key }))}>
              Deactivate
            </Button>
          )}
          {template && !template.isDefault && (
            <Button variant="outline" disabled={pending} onClick={() => run(() => makeTemplateDefaultAction(slug, { key: template.key }))}>
              <Star aria-hidden /> Make default
            </Button>
          )}
          {template && (
            <Button variant="ghost" className="ml-auto text-destructive" disabled={pending} onClick={() => setDeleteOpen(true)}>
              <Trash2 aria-hidden /> Delete
            </Button>
          )}
          <div className="basis-full space-y-1 text-sm text-muted-foreground">
            <p data-testid="require-test-state">
              {data.requireTemplateTest ? "This workspace requires a successful test before a version is activated." : "Versions can be activated without a test (the option is on the Templates page)."}
              {refusal && showActivate ? <span className="ml-1 font-medium text-warning">{refusal}</span> : null}
              {dirty && showActivate ? <span className="ml-1">Save your changes before activating.</span> : null}
            </p>
          </div>
        </div>
      )}

      <div role="tablist" aria-label="Template editor" className="flex gap-1 border-b">
        {(["edit", "history"] as const).map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            className={cn("-mb-px border-b-2 px-3 py-2 text-sm", tab === t ? "border-primary font-medium" : "border-transparent text-muted-foreground hover:text-foreground")}
            onClick={() => setTab(t)}
          >
            {t === "edit" ? "Edit" : `History${data.versions.length ? ` (${data.versions.length})` : ""}`}
          </button>
        ))}
      </div>

      {tab === "history" ? (
        <div role="tabpanel" aria-label="History">
          <TemplateHistory
            versions={data.versions.map((v) => (tests[v.version] ? { ...v, lastTest: tests[v.version] } : v))}
            currentVersion={template?.currentVersion ?? 1}
            busy={pending}
            readOnly={readOnly}
            onRestore={(version) => {
              if (dirty && !window.confirm("Restoring discards your unsaved changes. Continue?")) return;
              run(() => restoreTemplateVersionAction(slug, { key: template!.key, version }));
            }}
          />
        </div>
      ) : (
        <div role="tabpanel" aria-label="Edit" className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="min-w-0 space-y-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="space-y-1.5">
                <Label htmlFor="template-name">Name</Label>
                <Input id="template-name" value={draft.name} disabled={readOnly} onChange={(e) => set("name", e.target.value)} placeholder="Warm expert, Tier 1" />
                {template && <p className="text-xs text-muted-foreground">Key: {template.key} (fixed)</p>}
              </div>
              <div className="space-y-1.5">
                <Label htmlFor="template-tier">Tier</Label>
                <Select value={draft.tier} disabled={readOnly} onValueChange={(v) => set("tier", v as Tier)}>
                  <SelectTrigger id="template-tier" className="w-full">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {TIERS.map((t) => (
                      <SelectItem key={t} value={t}>
                        {TIER_LABELS[t]}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </div>
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="template-description">Description</Label>
              <Textarea id="template-description" rows={2} value={draft.description} disabled={readOnly} onChange={(e) => set("description", e.target.value)} placeholder="What this template is for and how it differs from the others." />
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="space-y-1.5">
                <span className="text-sm font-medium">Personas</span>
                <MultiSelect label="Personas" allLabel="All personas" options={data.options.personas} value={draft.applicablePersonas} onChange={(v) => set("applicablePersonas", v)} disabled={readOnly} />
              </div>
              <div className="space-y-1.5">
                <span className="text-sm font-medium">Emotional arcs</span>
                <MultiSelect label="Emotional arcs" allLabel="All arcs" options={data.options.arcs} value={draft.applicableArcs} onChange={(v) => set("applicableArcs", v)} disabled={readOnly} />
              </div>
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="space-y-1.5">
                <Label htmlFor="template-temperature">Temperature</Label>
                <Input
                  id="template-temperature"
                  type="number"
                  step="0.1"
                  min={TEMPLATE_TEMPERATURE.min}
                  max={TEMPLATE_TEMPERATURE.max}
                  value={Number.isNaN(draft.temperature) ? "" : draft.temperature}
                  disabled={readOnly}
                  onChange={(e) => set("temperature", e.target.value === "" ? Number.NaN : Number(e.target.value))}
                />
              </div>
              <div className="space-y-1.5">
                <Label htmlFor="template-max-tokens">max_tokens</Label>
                <Input
                  id="template-max-tokens"
                  type="number"
                  step="1"
                  min={TEMPLATE_MAX_TOKENS.min}
                  max={TEMPLATE_MAX_TOKENS.max}
                  value={Number.isNaN(draft.maxTokens) ? "" : draft.maxTokens}
                  disabled={readOnly}
                  onChange={(e) => set("maxTokens", e.target.value === "" ? Number.NaN : Number(e.target.value))}
                />
              </div>
            </div>
            <div className="space-y-1.5">
              <span className="text-sm font-medium" id="system-prompt-label">
                System prompt
              </span>
              <p className="text-xs text-muted-foreground">Instructions to the generator model, sent exactly as written (placeholders are not filled in here).</p>
              <TemplateCodeEditor value={draft.systemPrompt} onChange={(v) => set("systemPrompt", v)} tier={draft.tier} label="System prompt" plain minHeight="6rem" readOnly={readOnly} />
            </div>
            <div className="space-y-1.5">
              <span className="text-sm font-medium">Template text</span>
              <p className="text-xs text-muted-foreground">
                Type <code>{"{"}</code> for the list of placeholders; <code>{"{name?text}"}</code> adds text only when the value exists; write <code>{"{{"}</code> and <code>{"}}"}</code> for literal braces.
              </p>
              <TemplateCodeEditor value={draft.templateText} onChange={(v) => set("templateText", v)} tier={draft.tier} label="Template text" minHeight="16rem" readOnly={readOnly} />
              <div aria-live="polite">
                {problems.length === 0 ? (
                  draft.templateText.trim() && <p className="text-sm text-muted-foreground">No problems found in the template text.</p>
                ) : (
                  <ul className="space-y-1" aria-label="Template problems">
                    {problems.map((p, i) => (
                      <li key={i} className={cn("flex gap-2 text-sm", p.severity === "error" ? "text-destructive" : "text-warning")}>
                        <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
                        <span>
                          {p.line ? <span className="font-mono">{`${p.line}:${p.column}`} </span> : null}
                          <span className="font-medium">{p.severity === "error" ? "Error" : "Warning"}:</span> {p.message}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </div>
            {draft.templateText.trim() && <CachingNote draft={draft} workspaceValues={data.workspaceValues} />}
            {!readOnly && (
              <div className="space-y-1.5">
                <Label htmlFor="template-change-note">Change note (optional)</Label>
                <Input id="template-change-note" value={changeNote} onChange={(e) => setChangeNote(e.target.value)} placeholder="What changed and why, for the History" maxLength={500} />
              </div>
            )}
            {fieldIssues.length > 0 && (
              <ul className="space-y-0.5 text-sm text-muted-foreground" aria-label="Before you can save">
                {[...new Set(fieldIssues)].map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            )}
          </div>
          <aside className="min-w-0 space-y-4" aria-label="Preview and test">
            {preview}
            {test}
            {!preview && !test && (
              <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground">The preview and test of this template appear here.</p>
            )}
          </aside>
        </div>
      )}

      <AlertDialog open={deleteOpen} onOpenChange={setDeleteOpen}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete “{template?.draft.name}”?</AlertDialogTitle>
            <AlertDialogDescription>
              Its {data.versions.length === 1 ? "version is" : `${data.versions.length} versions are`} deleted. Conversations generated with it keep their text, but no longer link to a template. This cannot be undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              className="bg-destructive text-white hover:bg-destructive/90"
              onClick={() =>
                run(
                  () => deleteTemplateAction(slug, { key: template!.key }).then((r) => (r.ok ? { ok: true as const, data: { message: `Deleted "${r.data.name}".` } } : r)),
                  () => {
                    setSaved(draft);
                    router.push(paths.templates());
                  },
                )
              }
            >
              Delete template
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}
