"use client";
/**
 * The conversations that use a scenario, and scenario editing before generation (US8.2.1): each
 * planned conversation (not generated, or failed) can be pointed at another scenario; the others say
 * why not (the rule is core's repointRefusal, checked again on the server).
 */
import { useEffect, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Loader2, Lock } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { STATUS_LABELS, type ConversationStatus } from "@/lib/constants";
import { listScenarioConversationsAction, repointConversationAction } from "@/server/actions/scenarios";
import type { ScenarioConversation } from "@/server/scenario-library";

export function ScenarioConversationsDialog({
  scenario,
  targets,
  onOpenChange,
}: {
  /** The scenario whose conversations are shown; null = closed. */
  scenario: { id: string; title: string } | null;
  targets: Array<{ id: string; title: string }>;
  onOpenChange: (open: boolean) => void;
}) {
  const { slug } = useWorkspace();
  const [rows, setRows] = useState<ScenarioConversation[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!scenario) return;
    let live = true;
    void listScenarioConversationsAction(slug, { id: scenario.id }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setRows(result.data);
        setProblem(null);
      } else setProblem(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [scenario, slug, reload]);

  return (
    <Dialog
      open={scenario !== null}
      onOpenChange={(open) => {
        if (!open) setRows(null);
        onOpenChange(open);
      }}
    >
      <DialogContent className="max-h-[92vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Conversations using “{scenario?.title}”</DialogTitle>
          <DialogDescription>A planned conversation can use another scenario until it is generated. Generated, approved and rejected conversations keep theirs.</DialogDescription>
        </DialogHeader>
        {problem && (
          <p role="alert" className="text-sm text-destructive">
            {problem}
          </p>
        )}
        {!rows && !problem && (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <Loader2 aria-hidden className="size-4 animate-spin" /> Loading…
          </p>
        )}
        {rows && rows.length === 0 && <p className="text-sm text-muted-foreground">No conversation uses this scenario yet.</p>}
        {rows && rows.length > 0 && (
          <ul className="divide-y rounded-md border" aria-label="Conversations using this scenario">
            {rows.map((row) => (
              <ConversationRow
                key={row.conversationId}
                row={row}
                targets={targets.filter((t) => t.id !== scenario?.id)}
                onMoved={() => setReload((n) => n + 1)}
              />
            ))}
          </ul>
        )}
      </DialogContent>
    </Dialog>
  );
}

function ConversationRow({ row, targets, onMoved }: { row: ScenarioConversation; targets: Array<{ id: string; title: string }>; onMoved: () => void }) {
  const { slug } = useWorkspace();
  const router = useRouter();
  const [target, setTarget] = useState("");
  const [pending, startTransition] = useTransition();
  const move = () =>
    startTransition(async () => {
      const result = await repointConversationAction(slug, { conversationId: row.conversationId, scenarioId: target });
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      toast.success(`${result.data.conversationId} now uses “${result.data.scenarioTitle}”`);
      onMoved();
      router.refresh();
    });
  return (
    <li className="space-y-2 p-3 text-sm">
      <div className="flex items-center justify-between gap-2">
        <span>
          <span className="font-mono">{row.conversationId}</span>
          {row.title && <span className="text-muted-foreground"> · {row.title}</span>}
        </span>
        <span className="text-xs text-muted-foreground">{STATUS_LABELS[row.status as ConversationStatus] ?? row.status}</span>
      </div>
      {row.refusal ? (
        <p className="flex items-start gap-1.5 text-xs text-muted-foreground">
          <Lock aria-hidden className="mt-0.5 size-3.5 shrink-0" />
          {row.refusal}
        </p>
      ) : (
        <div className="flex items-center gap-2">
          <Select value={target} onValueChange={setTarget}>
            <SelectTrigger className="h-8 flex-1" aria-label={`Scenario for ${row.conversationId}`}>
              <SelectValue placeholder="Use another scenario…" />
            </SelectTrigger>
            <SelectContent>
              {targets.map((t) => (
                <SelectItem key={t.id} value={t.id}>
                  {t.title}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <Button size="sm" onClick={move} disabled={!target || pending}>
            {pending && <Loader2 aria-hidden className="size-4 animate-spin" />}
            Use it
          </Button>
        </div>
      )}
    </li>
  );
}
