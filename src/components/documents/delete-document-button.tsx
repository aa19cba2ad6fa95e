"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Loader2, Trash2 } from "lucide-react";
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
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { pluralize } from "@/lib/format";
import { deleteDocumentAction } from "@/server/actions/documents";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { workspacePaths } from "@/lib/workspace-paths";

/**
 * "Delete document" on a document's page: a confirmation that says what goes (the chunks) and what
 * stays (the conversations planned from it keep their text and lose the link), then back to the list.
 */
export function DeleteDocumentButton({ documentKey, title, chunks, conversations }: { documentKey: string; title: string; chunks: number; conversations: number }) {
  const { slug: workspaceSlug } = useWorkspace();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();

  function confirm() {
    startTransition(async () => {
      const result = await deleteDocumentAction(workspaceSlug, { key: documentKey });
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      setOpen(false);
      const kept = result.data.conversations;
      toast.success(`Deleted “${result.data.title}”${kept ? `; ${pluralize(kept, "conversation")} kept without the link` : ""}`);
      router.push(workspacePaths(workspaceSlug).documents);
      router.refresh();
    });
  }

  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm">
          <Trash2 aria-hidden className="size-4" />
          Delete document
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete “{title}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Its {pluralize(chunks, "chunk")} {chunks === 1 ? "is" : "are"} deleted.{" "}
            {conversations > 0
              ? `${pluralize(conversations, "conversation")} planned from it keep${conversations === 1 ? "s" : ""} ${conversations === 1 ? "its" : "their"} text, scores and reviews, and lose${conversations === 1 ? "s" : ""} the link to it.`
              : "No conversation was planned from it."}{" "}
            This can&rsquo;t be undone; import the file again to bring it back.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>Keep it</AlertDialogCancel>
          <AlertDialogAction
            onClick={(event) => {
              event.preventDefault();
              confirm();
            }}
            disabled={pending}
          >
            {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
            Delete document
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
