"use client";

import { useId, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Loader2, Plus, X } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  DEFAULT_DOCUMENT_CATEGORIES,
  documentCategoryListSchema,
  MAX_DOCUMENT_CATEGORIES,
  MAX_DOCUMENT_CATEGORY_LENGTH,
  type DocumentCategoryList,
} from "@/lib/document-categories";
import { saveDocumentCategoriesAction } from "@/server/actions/workspaces";

interface Row {
  id: number;
  name: string;
}

/**
 * The Workspace section's document categories: the list the Documents page offers at upload, in
 * order. Entries are renamed in place, removed, or added at the end, then saved together (checked
 * with the server's own schema first); "Use the built-in list" goes back to the seeds' categories.
 * Documents keep their own category whatever happens here.
 */
export function DocumentCategoriesEditor({ slug, initial, disabled }: { slug: string; initial: DocumentCategoryList; disabled: boolean }) {
  const router = useRouter();
  const id = useId();
  const nextId = useRef(initial.categories.length);
  const [saved, setSaved] = useState(initial);
  const [rows, setRows] = useState<Row[]>(() => initial.categories.map((name, index) => ({ id: index, name })));
  const [draft, setDraft] = useState("");
  const [pending, startTransition] = useTransition();

  const names = rows.map((r) => r.name);
  const changed = names.length !== saved.categories.length || names.some((n, i) => n.trim() !== saved.categories[i]);
  const check = documentCategoryListSchema.safeParse(names);
  const problem = check.success ? null : (check.error.issues[0]?.message ?? "The list is not valid.");
  const badRow = check.success ? -1 : typeof check.error.issues[0]?.path[0] === "number" ? (check.error.issues[0].path[0] as number) : -1;
  const full = rows.length >= MAX_DOCUMENT_CATEGORIES;

  function add(event: React.FormEvent) {
    event.preventDefault();
    const name = draft.trim();
    if (!name || full) return;
    setRows((all) => [...all, { id: nextId.current++, name }]);
    setDraft("");
  }

  function save(categories: string[] | null) {
    startTransition(async () => {
      const result = await saveDocumentCategoriesAction(slug, categories);
      if (!result.ok) return void toast.error(result.error.message);
      setSaved(result.data);
      setRows(result.data.categories.map((name) => ({ id: nextId.current++, name })));
      toast.success(categories === null ? "Categories reset to the built-in list." : "Categories saved.");
      router.refresh();
    });
  }

  return (
    <div className="space-y-3 border-t pt-4" role="group" aria-labelledby={`${id}-title`}>
      <div className="space-y-1">
        <h3 id={`${id}-title`} className="font-medium">
          Document categories
        </h3>
        <p className="text-sm text-muted-foreground">
          Offered when you upload documents, in this order
          {saved.isDefault ? " (the built-in list until you save your own)" : ""}. Removing or renaming a category does not change documents that
          already use it: they keep their category, and it is still offered while a document uses it.
        </p>
      </div>

      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed p-3 text-sm text-muted-foreground">
          No categories: the Documents page will offer only those your documents already use.
        </p>
      ) : (
        <ol className="grid gap-2 sm:grid-cols-2" aria-label="Document categories">
          {rows.map((row, index) => (
            <li key={row.id} className="flex items-center gap-1.5">
              <Input
                value={row.name}
                onChange={(event) => setRows((all) => all.map((r) => (r.id === row.id ? { ...r, name: event.target.value } : r)))}
                maxLength={MAX_DOCUMENT_CATEGORY_LENGTH}
                aria-label={`Category ${index + 1}`}
                aria-invalid={index === badRow || undefined}
                disabled={disabled || pending}
                className="h-9"
              />
              <Button
                type="button"
                variant="ghost"
                size="icon"
                className="size-9 shrink-0"
                onClick={() => setRows((all) => all.filter((r) => r.id !== row.id))}
                disabled={disabled || pending}
                aria-label={`Remove ${row.name.trim() || `category ${index + 1}`}`}
              >
                <X aria-hidden className="size-4" />
              </Button>
            </li>
          ))}
        </ol>
      )}

      <form onSubmit={add} className="flex flex-wrap items-end gap-2">
        <div className="min-w-48 flex-1 space-y-1.5 sm:max-w-xs">
          <Label htmlFor={`${id}-new`}>New category</Label>
          <Input
            id={`${id}-new`}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            maxLength={MAX_DOCUMENT_CATEGORY_LENGTH}
            placeholder="e.g. Case Studies"
            disabled={disabled || pending || full}
            className="h-9"
          />
        </div>
        <Button type="submit" variant="outline" size="sm" className="h-9" disabled={disabled || pending || full || !draft.trim()}>
          <Plus aria-hidden className="size-4" />
          Add
        </Button>
        <span className="pb-2 text-xs text-muted-foreground tabular-nums">
          {rows.length} of {MAX_DOCUMENT_CATEGORIES}
        </span>
      </form>

      {problem && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problem}
        </p>
      )}

      <div className="flex flex-wrap items-center gap-2">
        <Button type="button" size="sm" onClick={() => save(names)} disabled={disabled || pending || !changed || problem !== null}>
          {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
          Save categories
        </Button>
        {changed && (
          <Button type="button" variant="ghost" size="sm" disabled={pending} onClick={() => setRows(saved.categories.map((name) => ({ id: nextId.current++, name })))}>
            Undo changes
          </Button>
        )}
        {!saved.isDefault && (
          <Button type="button" variant="ghost" size="sm" disabled={disabled || pending} onClick={() => save(null)} title={DEFAULT_DOCUMENT_CATEGORIES.join(", ")}>
            Use the built-in list
          </Button>
        )}
      </div>
    </div>
  );
}
