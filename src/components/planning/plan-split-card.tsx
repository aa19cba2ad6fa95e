"use client";
/**
 * The plan's size: a total and its split over the tiers (default 40/35/15; any split that adds up
 * to the total), "Plan", and "Remove slots not generated yet" behind a confirmation naming the count.
 */
import { useId, useState } from "react";
import { Loader2, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { splitTotal, tierSplitProblems } from "@/core/planning/tier-split";
import { DEFAULT_TIER_SPLIT, TIER_LABELS, TIERS, type Tier } from "@/lib/constants";
import { pluralize } from "@/lib/format";
import { planWithSplitAction, removeUngeneratedSlotsAction } from "@/server/actions/planning";
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
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { tierName } from "./tier-section";
import { HelpTip } from "@/components/help-tip";

/** The form's text fields as numbers (NaN when not a number). */
const asNumber = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

export function PlanSplitCard({
  split,
  planned,
  ungenerated,
  disabled,
  onTemplateCountChange,
  onChanged,
}: {
  /** The workspace's saved split. */
  split: Record<Tier, number>;
  /** Slots already planned per tier. */
  planned: Record<Tier, number>;
  /** Slots never generated, all tiers. */
  ungenerated: number;
  disabled: boolean;
  /** The template tier's size as typed (the arc preview follows it). */
  onTemplateCountChange: (count: number) => void;
  onChanged: () => void;
}) {
  const { slug } = useWorkspace();
  const id = useId();
  const sum = TIERS.reduce((s, t) => s + split[t], 0);
  const [total, setTotal] = useState(String(sum));
  const [tiers, setTiers] = useState<Record<Tier, string>>(() => Object.fromEntries(TIERS.map((t) => [t, String(split[t])])) as Record<Tier, string>);
  const [busy, setBusy] = useState<"plan" | "remove" | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);

  const numbers = Object.fromEntries(TIERS.map((t) => [t, asNumber(tiers[t])])) as Record<Tier, number>;
  const totalNumber = asNumber(total);
  const problems = Number.isInteger(totalNumber) && totalNumber >= 0 ? tierSplitProblems(numbers, totalNumber) : ["Enter the total number of conversations, a whole number."];

  const setTier = (tier: Tier, value: string) => {
    setTiers((current) => ({ ...current, [tier]: value }));
    if (tier === "template") onTemplateCountChange(Math.max(0, Math.floor(asNumber(value) || 0)));
  };
  const changeTotal = (value: string) => {
    setTotal(value);
    const n = asNumber(value);
    if (Number.isInteger(n) && n >= 0 && n <= 100_000) {
      const next = splitTotal(n);
      setTiers(Object.fromEntries(TIERS.map((t) => [t, String(next[t])])) as Record<Tier, string>);
      onTemplateCountChange(next.template);
    }
  };

  const plan = async () => {
    if (problems.length) return;
    setBusy("plan");
    try {
      const result = await planWithSplitAction(slug, { total: totalNumber, split: numbers });
      if (!result.ok) {
        toast.error("Could not plan the dataset", { description: result.error.message });
        return;
      }
      const { created, perTier } = result.data;
      const over = TIERS.filter((t) => perTier[t] > numbers[t]);
      toast.success(created ? `Planned ${pluralize(created, "new slot")}` : "Nothing to add: every tier already has its slots", {
        description: `${TIERS.map((t) => `${tierName(t)} ${perTier[t]}`).join(" · ")}.${over.length ? ` ${over.map(tierName).join(" and ")} already had more slots than asked; remove the ones not generated yet to shrink it.` : ""}`,
      });
      onChanged();
    } catch {
      toast.error("Could not plan the dataset", { description: "The server could not be reached. Try again." });
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    setBusy("remove");
    try {
      const result = await removeUngeneratedSlotsAction(slug, { confirmed: true });
      if (!result.ok) {
        toast.error("Could not remove the slots", { description: result.error.message });
        return;
      }
      const { removed, skipped } = result.data;
      toast.success(`Removed ${pluralize(removed, "slot")} not generated yet`, {
        description: skipped.length ? `Kept ${skipped.length}: ${skipped.slice(0, 3).map((s) => `${s.conversationId} (${s.reason})`).join("; ")}.` : undefined,
      });
      setConfirmRemove(false);
      onChanged();
    } catch {
      toast.error("Could not remove the slots", { description: "The server could not be reached. Try again." });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card aria-labelledby={`${id}-title`} role="region">
      <CardHeader>
        <div className="flex items-center gap-1.5">
          <CardTitle id={`${id}-title`}>Size and tier split</CardTitle>
          <HelpTip topic="tierSplit" />
        </div>
        <CardDescription>
          How many conversations, and how many in each tier (default {DEFAULT_TIER_SPLIT.template} / {DEFAULT_TIER_SPLIT.scenario} / {DEFAULT_TIER_SPLIT.edge_case}). Slots already planned count toward these numbers
          and are never changed: planning adds what is missing.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <div className="space-y-1">
            <Label htmlFor={`${id}-total`}>Total</Label>
            <Input id={`${id}-total`} inputMode="numeric" value={total} onChange={(e) => changeTotal(e.target.value)} disabled={disabled} />
            <p className="text-xs text-muted-foreground">Split 40 / 35 / 15</p>
          </div>
          {TIERS.map((tier) => (
            <div key={tier} className="space-y-1">
              <Label htmlFor={`${id}-${tier}`}>
                {tierName(tier)} · {TIER_LABELS[tier]}
              </Label>
              <Input id={`${id}-${tier}`} inputMode="numeric" value={tiers[tier]} onChange={(e) => setTier(tier, e.target.value)} disabled={disabled} />
              <p className="text-xs tabular-nums text-muted-foreground">{planned[tier]} planned now</p>
            </div>
          ))}
        </div>
        {problems.length > 0 && (
          <p role="alert" className="text-sm text-destructive">
            {problems.join(" ")}
          </p>
        )}
        <div className="flex flex-wrap items-center gap-2">
          <Button onClick={plan} disabled={disabled || problems.length > 0 || busy !== null}>
            {busy === "plan" && <Loader2 aria-hidden className="size-4 animate-spin" />}
            Plan {Number.isInteger(totalNumber) && totalNumber > 0 ? pluralize(totalNumber, "conversation") : "conversations"}
          </Button>
          <Button variant="outline" onClick={() => setConfirmRemove(true)} disabled={disabled || ungenerated === 0 || busy !== null}>
            <Trash2 aria-hidden className="size-4" />
            Remove slots not generated yet{ungenerated ? ` (${ungenerated})` : ""}…
          </Button>
        </div>
      </CardContent>
      <AlertDialog open={confirmRemove} onOpenChange={setConfirmRemove}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Remove {pluralize(ungenerated, "slot")} not generated yet?</AlertDialogTitle>
            <AlertDialogDescription>
              The {pluralize(ungenerated, "planned conversation")} that were never generated are deleted, in every tier. Generated, approved, rejected, failed and seed conversations, and those waiting in a
              run, are kept. Plan again afterwards to fill the tiers with the current settings.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep them</AlertDialogCancel>
            <AlertDialogAction
              onClick={(event) => {
                event.preventDefault();
                void remove();
              }}
              disabled={busy !== null}
            >
              Remove {pluralize(ungenerated, "slot")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Card>
  );
}
