"use client";

import { useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Archive, ArchiveRestore, Copy, Download, Loader2, MoreHorizontal, Pencil, Plus, Trash2, Upload } from "lucide-react";
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
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { TaxonomyEntryDialog } from "@/components/taxonomy/taxonomy-entry-form";
import { TaxonomySuggestions } from "@/components/taxonomy/taxonomy-suggestions";
import type { ImportProblem } from "@/core/import/json-problems";
import type { TaxonomyEntryView } from "@/core/taxonomy/taxonomy-entries";
import type { TaxonomyFileEntry } from "@/core/taxonomy/taxonomy-entry-schemas";
import { canDeleteTaxonomyEntry, usageRefusal } from "@/core/taxonomy/taxonomy-usage";
import { pluralize } from "@/lib/format";
import { cn } from "@/lib/utils";
import { TAXONOMY_KIND_INFO, type TaxonomyKind } from "@/lib/taxonomy-kinds";
import {
  createTaxonomyEntryAction,
  deleteTaxonomyEntryAction,
  duplicateTaxonomyEntryAction,
  importStarterTaxonomyAction,
  setTaxonomyEntryArchivedAction,
  updateTaxonomyEntryAction,
  uploadTaxonomyFileAction,
} from "@/server/actions/taxonomy";
import type { TaxonomyPageData } from "@/server/taxonomy";

type Editing = { mode: "create" | "edit"; entry: TaxonomyFileEntry | null } | null;

/**
 * One kind's page below the tabs: the toolbar (new entry, import / export of the whole taxonomy,
 * suggestions on the Personas and Topics pages), the starter taxonomy while the workspace has none,
 * the problems of a rejected upload, and the entries' table with each entry's actions.
 */
export function TaxonomyView({ kind, data }: { kind: TaxonomyKind; data: TaxonomyPageData }) {
  const { slug, paths, archived: workspaceArchived } = useWorkspace();
  const router = useRouter();
  const info = TAXONOMY_KIND_INFO[kind];
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<TaxonomyEntryView | null>(null);
  const [uploadProblems, setUploadProblems] = useState<{ message: string; problems: ImportProblem[] } | null>(null);
  const [pending, startTransition] = useTransition();
  const fileInput = useRef<HTMLInputElement>(null);
  const readOnly = data.readOnly || workspaceArchived;
  const active = data.entries.filter((e) => !e.archivedAt);
  const archived = data.entries.filter((e) => e.archivedAt);

  async function save(entry: Record<string, unknown>): Promise<string | null> {
    const result =
      editing?.mode === "edit"
        ? await updateTaxonomyEntryAction(slug, { kind, key: String(entry.key), entry })
        : await createTaxonomyEntryAction(slug, { kind, entry });
    if (!result.ok) return result.error.message;
    toast.success(editing?.mode === "edit" ? `Saved “${result.data.name}”` : `Added ${info.singular} “${result.data.name}”`);
    setEditing(null);
    router.refresh();
    return null;
  }

  function run(action: () => Promise<{ ok: true; data: unknown } | { ok: false; error: { message: string } }>, success: string) {
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      toast.success(success);
      router.refresh();
    });
  }

  function upload(file: File) {
    startTransition(async () => {
      const text = await file.text();
      const result = await uploadTaxonomyFileAction(slug, { fileName: file.name, text });
      if (fileInput.current) fileInput.current.value = "";
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      if (!result.data.imported) {
        setUploadProblems({ message: result.data.message, problems: result.data.problems });
        return;
      }
      setUploadProblems(null);
      const s = result.data.summary;
      const counts = [
        [s.personas, "persona"],
        [s.emotionalArcs, "emotional arc"],
        [s.topics, "topic"],
        [s.intents, "intent"],
        [s.tones, "tone"],
        [s.edgeCaseCategories, "edge-case category"],
        [s.outcomes, "outcome"],
      ] as const;
      toast.success(`Imported ${file.name}: ${counts.filter(([n]) => n > 0).map(([n, word]) => pluralize(n, word)).join(", ")}`);
      router.refresh();
    });
  }

  function startFromStarter() {
    startTransition(async () => {
      const result = await importStarterTaxonomyAction(slug);
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      const s = result.data;
      toast.success(
        `Added the starter taxonomy: ${pluralize(s.emotionalArcs, "emotional arc")}, ${pluralize(s.intents, "intent")}, ${pluralize(s.tones, "tone")}, ${pluralize(s.edgeCaseCategories, "edge-case category", "edge-case categories")}, ${pluralize(s.outcomes, "outcome")}`,
      );
      router.refresh();
    });
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h2 className="text-lg font-semibold">{info.label}</h2>
          <p className="text-sm text-muted-foreground">{info.blurb}</p>
          {kind === "emotional_arcs" && (
            <p className="text-sm text-muted-foreground">
              Which arcs are used and in what share is set in the{" "}
              <Link href={paths.plan} className="text-primary underline-offset-4 hover:underline">
                Arc configuration on the Plan page
              </Link>
              .
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {(kind === "personas" || kind === "topics") && <TaxonomySuggestions documents={data.documents} readOnly={readOnly} />}
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            className="sr-only"
            tabIndex={-1}
            aria-label="Taxonomy file to import"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) upload(file);
            }}
          />
          <Button variant="outline" size="sm" disabled={readOnly || pending} onClick={() => fileInput.current?.click()}>
            <Upload aria-hidden className="size-4" />
            Import taxonomy
          </Button>
          {data.totalEntries > 0 ? (
            <Button variant="outline" size="sm" asChild>
              <a href={paths.api.taxonomyExport} download>
                <Download aria-hidden className="size-4" />
                Export taxonomy
              </a>
            </Button>
          ) : (
            <Button variant="outline" size="sm" disabled title="Nothing to export yet">
              <Download aria-hidden className="size-4" />
              Export taxonomy
            </Button>
          )}
          <Button size="sm" disabled={readOnly} onClick={() => setEditing({ mode: "create", entry: null })}>
            <Plus aria-hidden className="size-4" />
            New {info.singular}
          </Button>
        </div>
      </div>

      {uploadProblems && (
        <div role="alert" className="space-y-2 rounded-lg border border-destructive/40 bg-destructive/10 p-4 text-sm">
          <div className="flex items-start justify-between gap-2">
            <p className="font-medium text-destructive">{uploadProblems.message}</p>
            <Button variant="ghost" size="sm" onClick={() => setUploadProblems(null)}>
              Dismiss
            </Button>
          </div>
          <ul className="list-disc space-y-1 pl-5 font-mono text-xs">
            {uploadProblems.problems.map((p, i) => (
              <li key={i}>
                {p.file}
                {p.where ? ` (${p.where})` : ""}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}

      {data.totalEntries === 0 && (
        <section aria-labelledby="starter-title" className="rounded-lg border border-dashed p-5">
          <h3 id="starter-title" className="font-semibold">
            Start from the starter taxonomy
          </h3>
          <p className="mt-1 max-w-3xl text-sm text-muted-foreground">
            Five emotional arcs (Triumph, Struggle-to-Success, Steady Confidence, Anxiety-to-Relief, Discovery), and intents, tones, edge-case categories and outcomes that suit any small
            business. Edit them afterwards, then add your own personas and topics — or let your documents suggest them.
          </p>
          <Button className="mt-3" size="sm" onClick={startFromStarter} disabled={readOnly || pending}>
            {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
            Start from the starter taxonomy
          </Button>
        </section>
      )}

      {data.entries.length === 0 ? (
        <p className="rounded-lg border p-6 text-center text-sm text-muted-foreground">
          No {info.label.toLowerCase()} yet. Add one with “New {info.singular}”, or import a taxonomy file.
        </p>
      ) : (
        <div className="rounded-lg border">
          <Table aria-label={info.label}>
            <TableHeader>
              <TableRow>
                <TableHead className="w-64">Name</TableHead>
                <TableHead>Description</TableHead>
                {detailHeader(kind) && <TableHead className="w-72">{detailHeader(kind)}</TableHead>}
                <TableHead className="w-36">Used by</TableHead>
                <TableHead className="w-28">Status</TableHead>
                <TableHead className="w-12">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {[...active, ...archived].map((row) => (
                <TableRow key={row.entry.key} className={cn(row.archivedAt && "text-muted-foreground")}>
                  <TableCell className="align-top">
                    <div className="font-medium">{row.entry.name}</div>
                    <div className="font-mono text-xs text-muted-foreground">{row.entry.key}</div>
                  </TableCell>
                  <TableCell className="align-top">
                    <p className="line-clamp-2 max-w-xl text-sm whitespace-normal" title={row.entry.description}>
                      {row.entry.description}
                    </p>
                  </TableCell>
                  {detailHeader(kind) && <TableCell className="align-top text-sm whitespace-normal">{detail(kind, row.entry)}</TableCell>}
                  <TableCell className="align-top text-sm whitespace-nowrap">{usageText(row)}</TableCell>
                  <TableCell className="space-y-1 align-top">
                    {row.archivedAt ? <Badge variant="secondary">Archived</Badge> : <Badge variant="success">Active</Badge>}
                    {kind === "emotional_arcs" && !(row.entry as TaxonomyFileEntry<"emotional_arcs">).enabled && <Badge variant="outline">Disabled</Badge>}
                  </TableCell>
                  <TableCell className="align-top">
                    <DropdownMenu>
                      <DropdownMenuTrigger asChild>
                        <Button variant="ghost" size="icon" className="size-8" disabled={readOnly || pending} aria-label={`Actions for ${row.entry.name}`}>
                          <MoreHorizontal aria-hidden className="size-4" />
                        </Button>
                      </DropdownMenuTrigger>
                      <DropdownMenuContent align="end">
                        <DropdownMenuItem onSelect={() => setEditing({ mode: "edit", entry: row.entry })}>
                          <Pencil aria-hidden className="size-4" /> Edit
                        </DropdownMenuItem>
                        <DropdownMenuItem onSelect={() => run(() => duplicateTaxonomyEntryAction(slug, { kind, key: row.entry.key }), `Duplicated “${row.entry.name}”`)}>
                          <Copy aria-hidden className="size-4" /> Duplicate
                        </DropdownMenuItem>
                        {row.archivedAt ? (
                          <DropdownMenuItem
                            onSelect={() => run(() => setTaxonomyEntryArchivedAction(slug, { kind, key: row.entry.key, archived: false }), `Restored “${row.entry.name}”`)}
                          >
                            <ArchiveRestore aria-hidden className="size-4" /> Restore
                          </DropdownMenuItem>
                        ) : (
                          <DropdownMenuItem
                            onSelect={() =>
                              run(() => setTaxonomyEntryArchivedAction(slug, { kind, key: row.entry.key, archived: true }), `Archived “${row.entry.name}”: hidden from planning and new choices`)
                            }
                          >
                            <Archive aria-hidden className="size-4" /> Archive
                          </DropdownMenuItem>
                        )}
                        <DropdownMenuSeparator />
                        <DropdownMenuItem variant="destructive" onSelect={() => setDeleting(row)}>
                          <Trash2 aria-hidden className="size-4" /> Delete
                        </DropdownMenuItem>
                      </DropdownMenuContent>
                    </DropdownMenu>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}

      <TaxonomyEntryDialog
        kind={kind}
        mode={editing?.mode ?? "create"}
        initial={editing?.entry ?? null}
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        onSubmit={save}
      />
      <DeleteDialog
        kind={kind}
        row={deleting}
        pending={pending}
        onClose={() => setDeleting(null)}
        onDelete={(row) =>
          startTransition(async () => {
            const result = await deleteTaxonomyEntryAction(slug, { kind, key: row.entry.key });
            if (!result.ok) {
              toast.error(result.error.message);
              return;
            }
            setDeleting(null);
            toast.success(`Deleted “${row.entry.name}”`);
            router.refresh();
          })
        }
        onArchive={(row) =>
          startTransition(async () => {
            const result = await setTaxonomyEntryArchivedAction(slug, { kind, key: row.entry.key, archived: true });
            if (!result.ok) {
              toast.error(result.error.message);
              return;
            }
            setDeleting(null);
            toast.success(`Archived “${row.entry.name}”: hidden from planning and new choices`);
            router.refresh();
          })
        }
      />
    </div>
  );
}

/** The delete confirmation; for an entry in use, the refusal with its reason and "Archive instead". */
function DeleteDialog({
  kind,
  row,
  pending,
  onClose,
  onDelete,
  onArchive,
}: {
  kind: TaxonomyKind;
  row: TaxonomyEntryView | null;
  pending: boolean;
  onClose: () => void;
  onDelete: (row: TaxonomyEntryView) => void;
  onArchive: (row: TaxonomyEntryView) => void;
}) {
  const info = TAXONOMY_KIND_INFO[kind];
  const inUse = row ? !canDeleteTaxonomyEntry(row.usage) : false;
  return (
    <AlertDialog open={row !== null} onOpenChange={(open) => !open && onClose()}>
      <AlertDialogContent>
        {row && (
          <>
            <AlertDialogHeader>
              <AlertDialogTitle>{inUse ? `“${row.entry.name}” can’t be deleted` : `Delete “${row.entry.name}”?`}</AlertDialogTitle>
              <AlertDialogDescription>
                {inUse
                  ? `${usageRefusal(kind, row.usage)} An archived ${info.singular} is hidden from planning and from new choices; the conversations that use it keep it.`
                  : `No conversation or scenario uses this ${info.singular}. This can’t be undone.`}
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
              {inUse ? (
                !row.archivedAt && (
                  <AlertDialogAction
                    disabled={pending}
                    onClick={(event) => {
                      event.preventDefault();
                      onArchive(row);
                    }}
                  >
                    {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
                    Archive instead
                  </AlertDialogAction>
                )
              ) : (
                <AlertDialogAction
                  disabled={pending}
                  className="bg-destructive text-white hover:bg-destructive/90"
                  onClick={(event) => {
                    event.preventDefault();
                    onDelete(row);
                  }}
                >
                  {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
                  Delete {info.singular}
                </AlertDialogAction>
              )}
            </AlertDialogFooter>
          </>
        )}
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** The kind's own column header, or null for kinds with none (intents, tones, outcomes). */
function detailHeader(kind: TaxonomyKind): string | null {
  switch (kind) {
    case "personas":
      return "Traits";
    case "emotional_arcs":
      return "Emotional progression";
    case "topics":
      return "Key terms";
    case "edge_case_categories":
      return "Test condition";
    default:
      return null;
  }
}

function detail(kind: TaxonomyKind, entry: TaxonomyFileEntry): React.ReactNode {
  switch (kind) {
    case "personas":
      return (entry as TaxonomyFileEntry<"personas">).traits.join(", ") || <span className="text-muted-foreground">none</span>;
    case "emotional_arcs": {
      const arc = entry as TaxonomyFileEntry<"emotional_arcs">;
      return (
        <span>
          {arc.starting_emotion} <span aria-label="to">→</span> {arc.ending_emotion}
        </span>
      );
    }
    case "topics":
      return (entry as TaxonomyFileEntry<"topics">).key_terms.join(", ") || <span className="text-muted-foreground">none</span>;
    case "edge_case_categories":
      return <p className="line-clamp-2">{(entry as TaxonomyFileEntry<"edge_case_categories">).test_condition}</p>;
    default:
      return null;
  }
}

function usageText(row: TaxonomyEntryView): string {
  const parts = [row.usage.conversations ? pluralize(row.usage.conversations, "conversation") : null, row.usage.scenarios ? pluralize(row.usage.scenarios, "scenario") : null].filter(Boolean);
  return parts.length ? parts.join(", ") : "Not used";
}

