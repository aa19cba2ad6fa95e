"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Archive, ArchiveRestore, Loader2, Trash2 } from "lucide-react";
import { toast } from "sonner";

import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { DocumentCategoryList } from "@/lib/document-categories";
import { pluralize } from "@/lib/format";
import { workspacePaths } from "@/lib/workspace-paths";
import { deleteWorkspaceAction, renameWorkspaceAction, setWorkspaceArchivedAction } from "@/server/actions/workspaces";
import { DocumentCategoriesEditor } from "./document-categories-editor";
import { TierRulesEditor } from "./tier-rules-editor";
import { useWorkspace } from "./workspace-provider";

/**
 * The Settings page's Workspace section: rename (and change the short name in its address), the
 * document categories its Documents page offers (when `documentCategories` is given), the tier
 * rules (approval bars), archive or
 * restore, and delete — which removes everything in it and asks for its name typed exactly.
 */
export function WorkspaceSettings({ documentCategories }: { documentCategories?: DocumentCategoryList }) {
  const workspace = useWorkspace();
  const router = useRouter();
  const [name, setName] = useState(workspace.name);
  const [slug, setSlug] = useState(workspace.slug);
  const [typed, setTyped] = useState("");
  const [pending, startTransition] = useTransition();

  function rename(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await renameWorkspaceAction(workspace.slug, { name, slug: slug === workspace.slug ? undefined : slug });
      if (!result.ok) return void toast.error(result.error.message);
      toast.success("Workspace renamed.");
      if (result.data.slug !== workspace.slug) router.replace(workspacePaths(result.data.slug).settings);
      else router.refresh();
    });
  }

  function archive(archived: boolean) {
    startTransition(async () => {
      const result = await setWorkspaceArchivedAction(workspace.slug, archived);
      if (!result.ok) return void toast.error(result.error.message);
      toast.success(archived ? "Workspace archived. It stays readable here and in the menu under Archived." : "Workspace restored.");
      router.refresh();
    });
  }

  function remove() {
    startTransition(async () => {
      const result = await deleteWorkspaceAction(workspace.slug, typed);
      if (!result.ok) return void toast.error(result.error.message);
      toast.success(`Deleted "${result.data.name}" with ${pluralize(result.data.documents, "document")} and ${pluralize(result.data.conversations, "conversation")}.`);
      router.replace("/");
    });
  }

  return (
    <section aria-labelledby="workspace-settings" className="space-y-4 rounded-lg border p-4">
      <h2 id="workspace-settings" className="text-lg font-semibold">
        Workspace
      </h2>
      <form onSubmit={rename} className="grid gap-3 sm:grid-cols-[1fr_14rem_auto] sm:items-end">
        <div className="space-y-1.5">
          <Label htmlFor="workspace-rename">Name</Label>
          <Input id="workspace-rename" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} disabled={workspace.archived} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="workspace-slug">Short name (in its address)</Label>
          <Input id="workspace-slug" value={slug} onChange={(e) => setSlug(e.target.value.toLowerCase())} maxLength={48} disabled={workspace.archived} />
        </div>
        <Button type="submit" variant="outline" disabled={pending || workspace.archived || (name.trim() === workspace.name && slug === workspace.slug) || name.trim() === ""}>
          Rename
        </Button>
      </form>
      {documentCategories && <DocumentCategoriesEditor slug={workspace.slug} initial={documentCategories} disabled={workspace.archived} />}
      <TierRulesEditor key={`${workspace.tierRules.minApprovalScore}/${workspace.tierRules.edgeCaseMinScore}`} slug={workspace.slug} initial={workspace.tierRules} disabled={workspace.archived} />
      <div className="flex flex-wrap items-center gap-2 border-t pt-4">
        {workspace.archived ? (
          <Button variant="outline" size="sm" disabled={pending} onClick={() => archive(false)}>
            <ArchiveRestore aria-hidden className="size-4" />
            Restore workspace
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled={pending} onClick={() => archive(true)}>
            <Archive aria-hidden className="size-4" />
            Archive workspace
          </Button>
        )}
        <AlertDialog onOpenChange={() => setTyped("")}>
          <AlertDialogTrigger asChild>
            <Button variant="destructive" size="sm" disabled={pending}>
              <Trash2 aria-hidden className="size-4" />
              Delete workspace…
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Delete “{workspace.name}”?</AlertDialogTitle>
              <AlertDialogDescription>
                This removes its documents, chunks, customers and topics, templates, every conversation, run and log, in one step. It cannot be undone.
                Export files already downloaded are not touched.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <div className="space-y-1.5">
              <Label htmlFor="workspace-delete-confirm">Type the workspace&apos;s name to confirm: {workspace.name}</Label>
              <Input id="workspace-delete-confirm" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
            </div>
            <AlertDialogFooter>
              <AlertDialogCancel>Keep it</AlertDialogCancel>
              <Button variant="destructive" disabled={pending || typed.trim() !== workspace.name} onClick={remove}>
                {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
                Delete workspace
              </Button>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      </div>
    </section>
  );
}
