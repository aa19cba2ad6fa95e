"use client";

import { useState, useTransition } from "react";
import { Loader2 } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import type { ConversationDetail } from "@/lib/dashboard-contract";
import { listScenarioChoicesAction, repointConversationAction } from "@/server/actions/scenarios";

type Choice = { id: string; title: string; category: string };

/**
 * "Change scenario…" for a planned conversation (US8.2.1, scenario editing before generation): a
 * dialog with the workspace's active scenarios; the server applies the one rule
 * (core/scenarios/scenario-rules.ts, repointRefusal) and says why when it refuses.
 */
export function RepointScenario({ detail, onRepointed }: { detail: ConversationDetail; onRepointed: () => void }) {
  const { slug } = useWorkspace();
  const [open, setOpen] = useState(false);
  const [choices, setChoices] = useState<Choice[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string>("");
  const [pending, startTransition] = useTransition();

  function openDialog() {
    setOpen(true);
    setChosen("");
    setLoadError(null);
    startTransition(async () => {
      const result = await listScenarioChoicesAction(slug);
      if (!result.ok) return void setLoadError(result.error.message);
      setChoices(result.data.filter((c) => c.id !== detail.scenario?.id));
    });
  }

  function save() {
    startTransition(async () => {
      const result = await repointConversationAction(slug, { conversationId: detail.conversationId, scenarioId: chosen });
      if (!result.ok) return void toast.error(`Could not change the scenario of ${detail.conversationId}`, { description: result.error.message });
      toast.success(`${result.data.conversationId} now uses “${result.data.scenarioTitle}”.`);
      setOpen(false);
      onRepointed();
    });
  }

  return (
    <>
      <Button type="button" variant="link" size="sm" className="h-auto p-0 text-xs" onClick={openDialog}>
        Change scenario…
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Change the scenario of {detail.conversationId}</DialogTitle>
            <DialogDescription>
              It is not generated yet, so it can be written from another scenario. Its persona, arc and topic stay as planned; it takes the new
              scenario&apos;s source chunk.
            </DialogDescription>
          </DialogHeader>
          {loadError ? (
            <p role="alert" className="text-sm text-destructive">
              {loadError}
            </p>
          ) : choices === null ? (
            <p className="flex items-center gap-2 text-sm text-muted-foreground">
              <Loader2 aria-hidden className="size-4 animate-spin" /> Loading scenarios…
            </p>
          ) : choices.length === 0 ? (
            <p className="text-sm text-muted-foreground">There is no other active scenario. Add one on the Scenarios page.</p>
          ) : (
            <div className="space-y-1.5">
              <Label htmlFor="repoint-scenario">Scenario</Label>
              <Select value={chosen} onValueChange={setChosen}>
                <SelectTrigger id="repoint-scenario" className="w-full">
                  <SelectValue placeholder="Choose a scenario" />
                </SelectTrigger>
                <SelectContent>
                  {choices.map((c) => (
                    <SelectItem key={c.id} value={c.id}>
                      {c.title} · {c.category}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          )}
          <DialogFooter>
            <Button variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button onClick={save} disabled={!chosen || pending}>
              {pending && <Loader2 aria-hidden className="animate-spin" />}
              Use this scenario
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}
