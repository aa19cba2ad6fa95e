"use client";
/**
 * "Fill Missing Template Combinations" (US8.1.1): how many persona × arc × topic combinations no
 * conversation covers yet, and a confirmed action that adds a Tier 1 slot for each (at most a
 * fixed number per fill, said beforehand).
 */
import { useId, useState } from "react";
import { Loader2, Plus } from "lucide-react";
import { toast } from "sonner";
import { pluralize } from "@/lib/format";
import { fillMissingCombinationsAction } from "@/server/actions/planning";
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
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useWorkspace } from "@/components/workspaces/workspace-provider";

export function FillMissingCard({ missing, maxFill, disabled, onChanged }: { missing: number; maxFill: number; disabled: boolean; onChanged: () => void }) {
  const { slug } = useWorkspace();
  const id = useId();
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const adds = Math.min(missing, maxFill);

  const fill = async () => {
    setBusy(true);
    try {
      const result = await fillMissingCombinationsAction(slug);
      if (!result.ok) {
        toast.error("Could not fill the missing combinations", { description: result.error.message });
        return;
      }
      const { created, missing: before, capped } = result.data;
      toast.success(`Added ${pluralize(created, "Tier 1 slot")}`, {
        description: capped ? `${before - created} combinations are still missing: fill again to add them.` : "Every persona × arc × topic combination is now covered.",
      });
      setConfirm(false);
      onChanged();
    } catch {
      toast.error("Could not fill the missing combinations", { description: "The server could not be reached. Try again." });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card role="region" aria-labelledby={`${id}-title`}>
      <CardHeader>
        <CardTitle id={`${id}-title`}>Coverage</CardTitle>
        <CardDescription>Every persona should meet every enabled arc on every topic at least once.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        <p className="text-sm" role="status" aria-label="Missing combinations">
          {missing === 0 ? "Every persona × arc × topic combination is covered by a conversation." : `${pluralize(missing, "persona × arc × topic combination")} ${missing === 1 ? "is" : "are"} not covered by any conversation yet.`}
        </p>
        <Button variant="outline" onClick={() => setConfirm(true)} disabled={disabled || missing === 0 || busy}>
          <Plus aria-hidden className="size-4" />
          Fill missing combinations…
        </Button>
      </CardContent>
      <AlertDialog open={confirm} onOpenChange={setConfirm}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Add {pluralize(adds, "Tier 1 slot")}?</AlertDialogTitle>
            <AlertDialogDescription>
              {missing > maxFill
                ? `${missing} combinations are missing; one fill adds at most ${maxFill}, the first ${maxFill}. Fill again for the rest.`
                : `One Tier 1 (Template) slot for each of the ${pluralize(missing, "missing combination")}, not generated yet.`}{" "}
              Nothing already planned changes.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={(event) => {
                event.preventDefault();
                void fill();
              }}
              disabled={busy}
            >
              {busy && <Loader2 aria-hidden className="size-4 animate-spin" />}
              Add {pluralize(adds, "slot")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Card>
  );
}
