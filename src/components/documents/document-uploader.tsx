"use client";

import { useCallback, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useDropzone } from "react-dropzone";
import { AlertTriangle, ChevronDown, FileText, Loader2, Upload, X } from "lucide-react";
import { toast } from "sonner";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from "@/components/ui/collapsible";
import { Input } from "@/components/ui/input";
import { Progress } from "@/components/ui/progress";
import { MAX_DOCUMENT_SIZE_TEXT, SUPPORTED_EXTENSIONS_ACCEPT, SUPPORTED_TYPES_TEXT } from "@/core/import/document-limits";
import type { UploadPreview } from "@/server/documents";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { workspacePaths } from "@/lib/workspace-paths";

/** One chosen file on its way: uploading (0–100 %), being read on the server, previewed, or refused. */
interface Entry {
  id: string;
  file: File;
  /** Chosen at upload; empty = the file's own category (front matter), else "Uncategorized". */
  category: string;
  phase: "uploading" | "reading" | "ready" | "refused";
  /** Upload progress, 0–100. */
  progress: number;
  preview: UploadPreview | null;
  /** Why the file can't be imported (from the server's reader, in its words). */
  problem: string | null;
}

let nextId = 0;

/** POSTs a form with upload progress (fetch has none): resolves with the status and parsed JSON body. */
function postForm(url: string, form: FormData, onProgress?: (percent: number) => void, onUploaded?: () => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    xhr.upload.onload = () => onUploaded?.();
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response });
    xhr.onerror = () => reject(new Error("The server could not be reached. Check that Bright Run is still running, then retry."));
    xhr.send(form);
  });
}

function errorMessage(body: unknown, fallback: string): string {
  const error = (body as { error?: { message?: string } } | null)?.error;
  return error?.message ?? fallback;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The Documents page's upload (issue 9, item 2): drop files or choose them; each file uploads with
 * its own progress bar and is read and chunked on the server (POST /api/documents/preview) without
 * storing anything; its chunks show before import. **Import** sends every file again to
 * POST /api/documents/import, which stores all of them or none; a refusal names each file and why.
 */
export function DocumentUploader({ categories }: { categories: string[] }) {
  const { slug: workspaceSlug } = useWorkspace();
  const router = useRouter();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [importing, setImporting] = useState(false);
  const [importProblem, setImportProblem] = useState<string | null>(null);
  const listId = useId();

  const update = useCallback((id: string, patch: Partial<Entry>) => {
    setEntries((all) => all.map((e) => (e.id === id ? { ...e, ...patch } : e)));
  }, []);

  const previewEntry = useCallback(
    async (entry: Entry) => {
      const form = new FormData();
      form.append("file", entry.file);
      form.append("category", entry.category);
      try {
        const { status, body } = await postForm(
          workspacePaths(workspaceSlug).api.documentPreview,
          form,
          (progress) => update(entry.id, { progress }),
          () => update(entry.id, { phase: "reading", progress: 100 }),
        );
        if (status !== 200) {
          update(entry.id, { phase: "refused", progress: 100, problem: errorMessage(body, `The server answered ${status}.`) });
          return;
        }
        const preview = (body as { previews: UploadPreview[] }).previews[0];
        update(entry.id, preview.ok ? { phase: "ready", progress: 100, preview, problem: null } : { phase: "refused", progress: 100, preview, problem: preview.message });
      } catch (error) {
        update(entry.id, { phase: "refused", problem: error instanceof Error ? error.message : String(error) });
      }
    },
    [update, workspaceSlug],
  );

  const onDrop = useCallback(
    (files: File[]) => {
      setImportProblem(null);
      const added = files.map<Entry>((file) => ({ id: `upload-${nextId++}`, file, category: "", phase: "uploading", progress: 0, preview: null, problem: null }));
      setEntries((all) => [...all, ...added]);
      // One file at a time: the server reads PDFs and Word files one after another anyway.
      void (async () => {
        for (const entry of added) await previewEntry(entry);
      })();
    },
    [previewEntry],
  );

  const { getRootProps, getInputProps, isDragActive, open } = useDropzone({ onDrop, noClick: true, multiple: true });

  const pending = entries.some((e) => e.phase === "uploading" || e.phase === "reading");
  const refused = entries.filter((e) => e.phase === "refused");
  const ready = entries.filter((e) => e.phase === "ready");
  const chunkCount = ready.reduce((sum, e) => sum + (e.preview?.ok ? e.preview.chunks.length : 0), 0);

  async function importAll() {
    setImporting(true);
    setImportProblem(null);
    const form = new FormData();
    for (const entry of entries) {
      form.append("file", entry.file);
      form.append("category", entry.category);
    }
    try {
      const { status, body } = await postForm(workspacePaths(workspaceSlug).api.documentImport, form);
      if (status !== 200) {
        setImportProblem(errorMessage(body, `The server answered ${status}; nothing was imported.`));
        return;
      }
      const result = body as { documents: Array<{ outcome: string; chunks: number }> };
      const chunks = result.documents.reduce((sum, d) => sum + d.chunks, 0);
      const n = result.documents.length;
      toast.success(`Imported ${n} ${n === 1 ? "document" : "documents"} (${chunks} ${chunks === 1 ? "chunk" : "chunks"})`);
      setEntries([]);
      router.refresh();
    } catch (error) {
      setImportProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setImporting(false);
    }
  }

  return (
    <section aria-labelledby={`${listId}-title`} className="space-y-4">
      <h2 id={`${listId}-title`} className="text-lg font-semibold">
        Upload documents
      </h2>
      <div
        {...getRootProps({
          className: `flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed p-6 text-center transition-colors ${isDragActive ? "border-primary bg-primary/5" : "border-muted-foreground/30"}`,
        })}
      >
        <input {...getInputProps({ accept: SUPPORTED_EXTENSIONS_ACCEPT, "aria-label": "Choose documents to upload" })} />
        <Upload aria-hidden className="size-6 text-muted-foreground" />
        <p className="text-sm">{isDragActive ? "Drop the files to read them" : "Drag files here, or"}</p>
        <Button type="button" variant="outline" size="sm" onClick={open}>
          Choose files
        </Button>
        <p className="max-w-xl text-xs text-muted-foreground">
          {SUPPORTED_TYPES_TEXT}; up to {MAX_DOCUMENT_SIZE_TEXT} each. Nothing is saved until you press Import, and then every file is saved or none.
        </p>
      </div>

      {entries.length > 0 && (
        <div className="space-y-3">
          <datalist id={`${listId}-categories`}>
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <ul className="space-y-3" aria-label="Files to import">
            {entries.map((entry) => (
              <UploadRow
                key={entry.id}
                entry={entry}
                categoriesListId={`${listId}-categories`}
                onCategory={(category) => update(entry.id, { category })}
                onRemove={() => setEntries((all) => all.filter((e) => e.id !== entry.id))}
                disabled={importing}
              />
            ))}
          </ul>

          {importProblem && (
            <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm whitespace-pre-line text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
              {importProblem}
            </div>
          )}

          <div className="flex flex-wrap items-center gap-3">
            <Button type="button" onClick={importAll} disabled={pending || importing || refused.length > 0 || ready.length === 0}>
              {importing && <Loader2 aria-hidden className="size-4 animate-spin" />}
              {importing ? "Importing…" : `Import ${ready.length} ${ready.length === 1 ? "file" : "files"} (${chunkCount} ${chunkCount === 1 ? "chunk" : "chunks"})`}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setEntries([])} disabled={importing}>
              Clear
            </Button>
            <p className="text-sm text-muted-foreground" aria-live="polite">
              {pending
                ? "Reading the files…"
                : refused.length
                  ? `${refused.length} ${refused.length === 1 ? "file can't" : "files can't"} be imported: remove ${refused.length === 1 ? "it" : "them"} or fix and add ${refused.length === 1 ? "it" : "them"} again.`
                  : ""}
            </p>
          </div>
        </div>
      )}
    </section>
  );
}

function UploadRow({
  entry,
  categoriesListId,
  onCategory,
  onRemove,
  disabled,
}: {
  entry: Entry;
  categoriesListId: string;
  onCategory: (category: string) => void;
  onRemove: () => void;
  disabled: boolean;
}) {
  const preview = entry.preview?.ok ? entry.preview : null;
  const label = entry.file.name;
  return (
    <li className="rounded-lg border p-3" aria-label={label}>
      <div className="flex flex-wrap items-center gap-3">
        <FileText aria-hidden className="size-4 shrink-0 text-muted-foreground" />
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm font-medium">{label}</p>
          <p className="text-xs text-muted-foreground">
            {formatBytes(entry.file.size)}
            {preview && ` · ${preview.kind.toUpperCase()} · “${preview.title}” · key ${preview.key} · ${preview.chunks.length} ${preview.chunks.length === 1 ? "chunk" : "chunks"}`}
          </p>
        </div>
        {preview && (
          <Badge variant={preview.outcome === "new" ? "secondary" : "outline"}>
            {preview.outcome === "new" ? "New" : preview.outcome === "replaces" ? "Replaces the stored document" : "Unchanged"}
          </Badge>
        )}
        {entry.phase === "ready" && (
          <label className="flex items-center gap-2 text-xs text-muted-foreground">
            Category
            <Input
              className="h-8 w-48"
              list={categoriesListId}
              value={entry.category}
              placeholder={preview?.category ?? "Uncategorized"}
              onChange={(event) => onCategory(event.target.value)}
              disabled={disabled}
              aria-label={`Category of ${label}`}
            />
          </label>
        )}
        <Button type="button" variant="ghost" size="icon" onClick={onRemove} disabled={disabled} aria-label={`Remove ${label}`}>
          <X aria-hidden className="size-4" />
        </Button>
      </div>
      {(entry.phase === "uploading" || entry.phase === "reading") && (
        <div className="mt-2 flex items-center gap-3">
          <Progress value={entry.phase === "reading" ? 100 : entry.progress} aria-label={`Upload of ${label}`} className="h-1.5" />
          <span className="shrink-0 text-xs text-muted-foreground">{entry.phase === "reading" ? "Reading…" : `${entry.progress} %`}</span>
        </div>
      )}
      {entry.problem && (
        <p role="alert" className="mt-2 flex items-start gap-2 text-sm text-red-700 dark:text-red-300">
          <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>{entry.problem}</span>
        </p>
      )}
      {preview && preview.warnings.length > 0 && (
        <ul className="mt-2 list-disc space-y-1 pl-6 text-xs text-amber-800 dark:text-amber-200">
          {preview.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {preview && preview.chunks.length > 0 && (
        <Collapsible defaultOpen={false} className="mt-2">
          <CollapsibleTrigger asChild>
            <Button type="button" variant="link" size="sm" className="h-auto p-0 text-xs">
              <ChevronDown aria-hidden className="size-3" />
              Show the {preview.chunks.length} {preview.chunks.length === 1 ? "chunk" : "chunks"}
            </Button>
          </CollapsibleTrigger>
          <CollapsibleContent>
            <ol className="mt-2 max-h-80 space-y-2 overflow-y-auto pr-2" aria-label={`Chunks of ${label}`}>
              {preview.chunks.map((chunk, index) => (
                <li key={index} className="rounded-md bg-muted/50 p-2 text-xs">
                  <p className="font-medium">
                    {index + 1}.{chunk.heading ? ` ${chunk.heading}` : ""} <span className="font-normal text-muted-foreground">· ~{chunk.tokens} tokens</span>
                  </p>
                  <p className="mt-1 line-clamp-4 whitespace-pre-line text-muted-foreground">{chunk.content}</p>
                  {chunk.keyTerms.length > 0 && <p className="mt-1 text-muted-foreground">Key terms: {chunk.keyTerms.join(", ")}</p>}
                </li>
              ))}
            </ol>
          </CollapsibleContent>
        </Collapsible>
      )}
    </li>
  );
}
