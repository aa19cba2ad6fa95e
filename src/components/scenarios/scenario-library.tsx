"use client";
/**
 * The scenario library table (US8.2.2): favourites first, search by keyword, views (active,
 * favourites, archived), and per scenario: star, details (problem / solution / outcome and the source
 * chunk's text), usage count, edit, duplicate, conversations (re-point planned ones), archive or
 * restore, delete (refused with the reason while conversations use it).
 */
import { Fragment, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Archive, ArchiveRestore, ChevronDown, ChevronRight, Copy, FileText, ListTree, MoreHorizontal, Pencil, Plus, Search, Sparkles, Star, Trash2 } from "lucide-react";
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
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { cn } from "@/lib/utils";
import { deleteScenarioAction, duplicateScenarioAction, setScenarioArchivedAction, setScenarioFavouriteAction } from "@/server/actions/scenarios";
import type { ScenarioLibraryPage, ScenarioListItem } from "@/server/scenario-library";
import { chunkLabel } from "./chunk-picker";
import { ScenarioConversationsDialog } from "./scenario-conversations-dialog";
import { EMPTY_SCENARIO, ScenarioFormDialog, type ScenarioFormValues } from "./scenario-form-dialog";
import { SuggestScenariosDialog } from "./suggest-scenarios-dialog";

type View = "active" | "favourites" | "archived";

export function ScenarioLibrary({ data, search, view }: { data: ScenarioLibraryPage; search: string; view: View }) {
  const { slug, paths } = useWorkspace();
  const router = useRouter();
  const [query, setQuery] = useState(search);
  const [form, setForm] = useState<{ mode: "create" | "edit"; id?: string; initial: ScenarioFormValues; title: string; description: string } | null>(null);
  const [suggestOpen, setSuggestOpen] = useState(false);
  const [conversationsOf, setConversationsOf] = useState<{ id: string; title: string } | null>(null);
  const [deleting, setDeleting] = useState<ScenarioListItem | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [pending, startTransition] = useTransition();

  const href = (next: { q?: string; view?: View }) => {
    const params = new URLSearchParams();
    const q = next.q ?? search;
    const v = next.view ?? view;
    if (q) params.set("q", q);
    if (v !== "active") params.set("view", v);
    return paths.scenarios(params.toString());
  };
  const run = (work: () => Promise<{ ok: boolean; error?: { message: string } }>, success: string) =>
    startTransition(async () => {
      const result = await work();
      if (!result.ok) {
        toast.error(result.error?.message ?? "That did not work.");
        return;
      }
      toast.success(success);
      router.refresh();
    });
  const toggle = (id: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const views: Array<{ id: View; label: string; count: number }> = [
    { id: "active", label: "All", count: data.counts.active },
    { id: "favourites", label: "Favourites", count: data.counts.favourites },
    { id: "archived", label: "Archived", count: data.counts.archived },
  ];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <form
          role="search"
          className="flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            router.push(href({ q: query.trim() }));
          }}
        >
          <div className="relative">
            <Search aria-hidden className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" />
            <Input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search scenarios…" aria-label="Search scenarios by keyword" className="h-9 w-64 pl-8" />
          </div>
          <Button type="submit" variant="outline" size="sm">
            Search
          </Button>
        </form>
        <nav aria-label="Scenario views" className="flex items-center gap-1">
          {views.map((v) => (
            <Button key={v.id} asChild size="sm" variant={v.id === view ? "secondary" : "ghost"}>
              <Link href={href({ view: v.id })} aria-current={v.id === view ? "page" : undefined}>
                {v.label} <span className="tabular-nums text-muted-foreground">{v.count}</span>
              </Link>
            </Button>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <Button variant="outline" onClick={() => setSuggestOpen(true)} disabled={data.chunks.length === 0} title={data.chunks.length === 0 ? "Upload documents first" : undefined}>
            <Sparkles aria-hidden className="size-4" />
            Suggest from a chunk
          </Button>
          <Button onClick={() => setForm({ mode: "create", initial: EMPTY_SCENARIO, title: "New scenario", description: "A customer situation conversations are planned from: the problem they bring, what the business helps them do, and the outcome." })}>
            <Plus aria-hidden className="size-4" />
            New scenario
          </Button>
        </div>
      </div>

      {data.scenarios.length === 0 ? (
        <p className="rounded-lg border p-6 text-center text-sm text-muted-foreground">
          {search
            ? `No scenario matches “${search}”.`
            : view === "archived"
              ? "No archived scenarios."
              : view === "favourites"
                ? "No favourites yet: star a scenario to find it here."
                : "No scenarios yet. Write one, or let your model suggest some from a chunk of your documents."}
        </p>
      ) : (
        <div className="rounded-lg border">
          <Table aria-label="Scenarios">
            <TableHeader>
              <TableRow>
                <TableHead className="w-10">
                  <span className="sr-only">Favourite</span>
                </TableHead>
                <TableHead>Scenario</TableHead>
                <TableHead>Category</TableHead>
                <TableHead>Source chunk</TableHead>
                <TableHead className="text-right">Used by</TableHead>
                <TableHead className="w-12">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.scenarios.map((s) => {
                const open = expanded.has(s.id);
                return (
                  <Fragment key={s.id}>
                    <TableRow data-state={open ? "selected" : undefined} aria-label={s.title}>
                      <TableCell className="align-top">
                        <Button
                          variant="ghost"
                          size="icon"
                          className="size-8"
                          aria-pressed={s.favourite}
                          aria-label={s.favourite ? `Remove “${s.title}” from favourites` : `Mark “${s.title}” as a favourite`}
                          disabled={pending}
                          onClick={() => run(() => setScenarioFavouriteAction(slug, { id: s.id, favourite: !s.favourite }), s.favourite ? `Removed “${s.title}” from favourites` : `Starred “${s.title}”`)}
                        >
                          <Star aria-hidden className={cn("size-4", s.favourite ? "fill-warning text-warning" : "text-muted-foreground")} />
                        </Button>
                      </TableCell>
                      <TableCell className="max-w-[30rem] align-top whitespace-normal">
                        <button type="button" className="flex items-start gap-1 text-left font-medium hover:underline" onClick={() => toggle(s.id)} aria-expanded={open}>
                          {open ? <ChevronDown aria-hidden className="mt-0.5 size-4 shrink-0" /> : <ChevronRight aria-hidden className="mt-0.5 size-4 shrink-0" />}
                          {s.title}
                        </button>
                        {s.description && <p className="mt-0.5 line-clamp-2 pl-5 text-xs text-muted-foreground">{s.description}</p>}
                        {s.tags.length > 0 && (
                          <div className="mt-1 flex flex-wrap gap-1 pl-5">
                            {s.tags.map((t) => (
                              <Badge key={t} variant="outline" className="font-normal">
                                {t}
                              </Badge>
                            ))}
                          </div>
                        )}
                      </TableCell>
                      <TableCell className="align-top">{s.category}</TableCell>
                      <TableCell className="max-w-64 align-top whitespace-normal text-sm">
                        {s.chunk ? (
                          <span className="flex items-start gap-1">
                            <FileText aria-hidden className="mt-0.5 size-3.5 shrink-0 text-muted-foreground" />
                            <Link href={paths.document(s.chunk.documentKey)} className="text-primary underline-offset-4 hover:underline">
                              {chunkLabel(s.chunk)}
                            </Link>
                          </span>
                        ) : (
                          <span className="text-muted-foreground">Written by hand</span>
                        )}
                      </TableCell>
                      <TableCell className="text-right align-top tabular-nums">
                        <button type="button" className="text-primary underline-offset-4 hover:underline" onClick={() => setConversationsOf({ id: s.id, title: s.title })} aria-label={`${s.usageCount === 1 ? "1 conversation uses" : `${s.usageCount} conversations use`} “${s.title}”`}>
                          {s.usageCount}
                        </button>
                      </TableCell>
                      <TableCell className="align-top">
                        <DropdownMenu>
                          <DropdownMenuTrigger asChild>
                            <Button variant="ghost" size="icon" className="size-8" aria-label={`Actions for “${s.title}”`}>
                              <MoreHorizontal aria-hidden className="size-4" />
                            </Button>
                          </DropdownMenuTrigger>
                          <DropdownMenuContent align="end">
                            <DropdownMenuItem
                              onSelect={() =>
                                setForm({
                                  mode: "edit",
                                  id: s.id,
                                  initial: { title: s.title, description: s.description, category: s.category, tags: s.tags, problem: s.problem, solution: s.solution, outcome: s.outcome, chunkId: s.chunk?.id ?? null },
                                  title: `Edit “${s.title}”`,
                                  description: "Conversations already generated keep the text they were written from; planned ones use the new version.",
                                })
                              }
                            >
                              <Pencil aria-hidden className="size-4" /> Edit
                            </DropdownMenuItem>
                            <DropdownMenuItem onSelect={() => run(() => duplicateScenarioAction(slug, { id: s.id }), `Duplicated “${s.title}”`)}>
                              <Copy aria-hidden className="size-4" /> Duplicate
                            </DropdownMenuItem>
                            <DropdownMenuItem onSelect={() => setConversationsOf({ id: s.id, title: s.title })}>
                              <ListTree aria-hidden className="size-4" /> Conversations…
                            </DropdownMenuItem>
                            <DropdownMenuSeparator />
                            {s.archived ? (
                              <DropdownMenuItem onSelect={() => run(() => setScenarioArchivedAction(slug, { id: s.id, archived: false }), `Restored “${s.title}”: it is planned again`)}>
                                <ArchiveRestore aria-hidden className="size-4" /> Restore
                              </DropdownMenuItem>
                            ) : (
                              <DropdownMenuItem onSelect={() => run(() => setScenarioArchivedAction(slug, { id: s.id, archived: true }), `Archived “${s.title}”: it is no longer planned`)}>
                                <Archive aria-hidden className="size-4" /> Archive
                              </DropdownMenuItem>
                            )}
                            <DropdownMenuItem variant="destructive" onSelect={() => setDeleting(s)}>
                              <Trash2 aria-hidden className="size-4" /> Delete…
                            </DropdownMenuItem>
                          </DropdownMenuContent>
                        </DropdownMenu>
                      </TableCell>
                    </TableRow>
                    {open && (
                      <TableRow className="bg-muted/30 hover:bg-muted/30">
                        <TableCell />
                        <TableCell colSpan={5} className="whitespace-normal">
                          <div className="grid gap-4 py-1 text-sm lg:grid-cols-2">
                            <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1.5">
                              <dt className="text-muted-foreground">Problem</dt>
                              <dd>{s.problem}</dd>
                              <dt className="text-muted-foreground">Solution</dt>
                              <dd>{s.solution}</dd>
                              <dt className="text-muted-foreground">Outcome</dt>
                              <dd>{s.outcome}</dd>
                              <dt className="text-muted-foreground">Key</dt>
                              <dd className="font-mono text-xs">{s.key}</dd>
                            </dl>
                            {s.chunk && (
                              <figure className="rounded-md border bg-background p-3" aria-label={`Text of ${chunkLabel(s.chunk)}`}>
                                <figcaption className="mb-1 text-xs font-medium text-muted-foreground">{chunkLabel(s.chunk)}</figcaption>
                                <p className="max-h-48 overflow-y-auto whitespace-pre-wrap">{s.chunk.content}</p>
                              </figure>
                            )}
                          </div>
                        </TableCell>
                      </TableRow>
                    )}
                  </Fragment>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}

      <ScenarioFormDialog
        open={form !== null}
        onOpenChange={(open) => !open && setForm(null)}
        mode={form?.mode ?? "create"}
        scenarioId={form?.id}
        initial={form?.initial ?? EMPTY_SCENARIO}
        chunks={data.chunks}
        categories={data.categories}
        title={form?.title ?? ""}
        description={form?.description ?? ""}
      />
      <SuggestScenariosDialog
        open={suggestOpen}
        onOpenChange={setSuggestOpen}
        chunks={data.chunks}
        onUseDraft={(initial) => {
          setSuggestOpen(false);
          setForm({ mode: "create", initial, title: "Review the draft", description: "Change anything you like; it is saved to the library only when you press Save." });
        }}
      />
      <ScenarioConversationsDialog scenario={conversationsOf} targets={data.targets} onOpenChange={(open) => !open && setConversationsOf(null)} />
      <AlertDialog open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete “{deleting?.title}”?</AlertDialogTitle>
            <AlertDialogDescription>
              {deleting && deleting.usageCount > 0
                ? `${deleting.usageCount === 1 ? "1 conversation uses" : `${deleting.usageCount} conversations use`} it, so it can't be deleted. Archive it instead: it is then no longer planned, and the conversations keep it.`
                : "It is removed from the library. No conversation uses it. This can't be undone."}
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep it</AlertDialogCancel>
            {deleting && deleting.usageCount > 0 && !deleting.archived && (
              <AlertDialogAction
                onClick={() => {
                  const target = deleting;
                  setDeleting(null);
                  run(() => setScenarioArchivedAction(slug, { id: target.id, archived: true }), `Archived “${target.title}”: it is no longer planned`);
                }}
              >
                Archive instead
              </AlertDialogAction>
            )}
            {deleting && deleting.usageCount === 0 && (
              <AlertDialogAction
                onClick={(event) => {
                  event.preventDefault();
                  const target = deleting;
                  startTransition(async () => {
                    const result = await deleteScenarioAction(slug, { id: target.id });
                    if (!result.ok) {
                      toast.error(result.error.message);
                      return;
                    }
                    setDeleting(null);
                    toast.success(`Deleted “${result.data.title}”`);
                    router.refresh();
                  });
                }}
                disabled={pending}
              >
                Delete scenario
              </AlertDialogAction>
            )}
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}
