"use client";

import { useId, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Loader2 } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { DEFAULT_TIER_RULES, type TierRules } from "@/core/review/review-rules";
import { saveTierRulesAction } from "@/server/actions/workspaces";

/**
 * The Workspace section's tier rules (issue 10 item 6): the minimum approval score and the
 * edge-case bar, quality scores from 1 to 10 (defaults 6 and 8, US8.3.1). Below its bar a
 * conversation is flagged on its quality badge, shows under Needs Review, and is approved only
 * with a note. The server checks the values again (checkTierRules).
 */
export function TierRulesEditor({ slug, initial, disabled }: { slug: string; initial: TierRules; disabled: boolean }) {
  const router = useRouter();
  const id = useId();
  const [min, setMin] = useState(String(initial.minApprovalScore));
  const [edge, setEdge] = useState(String(initial.edgeCaseMinScore));
  const [pending, startTransition] = useTransition();

  const parsed = { minApprovalScore: Number(min), edgeCaseMinScore: Number(edge) };
  const valid = (value: string) => value.trim() !== "" && Number.isFinite(Number(value)) && Number(value) >= 1 && Number(value) <= 10;
  const changed = parsed.minApprovalScore !== initial.minApprovalScore || parsed.edgeCaseMinScore !== initial.edgeCaseMinScore;
  const isDefault = initial.minApprovalScore === DEFAULT_TIER_RULES.minApprovalScore && initial.edgeCaseMinScore === DEFAULT_TIER_RULES.edgeCaseMinScore;

  function save(rules: TierRules) {
    startTransition(async () => {
      const result = await saveTierRulesAction(slug, rules);
      if (!result.ok) return void toast.error(result.error.message);
      setMin(String(result.data.minApprovalScore));
      setEdge(String(result.data.edgeCaseMinScore));
      toast.success(`Tier rules saved: approve from ${result.data.minApprovalScore}, edge cases from ${result.data.edgeCaseMinScore}.`);
      router.refresh();
    });
  }

  return (
    <form
      aria-labelledby={`${id}-title`}
      className="space-y-3 border-t pt-4"
      onSubmit={(event) => {
        event.preventDefault();
        save(parsed);
      }}
    >
      <div className="space-y-1">
        <h3 id={`${id}-title`} className="font-medium">
          Tier rules
        </h3>
        <p className="text-sm text-muted-foreground">
          A conversation scoring below its bar is flagged for review and can be approved only with a note saying why. Edge cases have a higher
          bar and are always approved one at a time.
        </p>
      </div>
      <div className="grid gap-3 sm:grid-cols-[12rem_12rem_auto_auto] sm:items-end">
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-min`}>Minimum approval score</Label>
          <Input
            id={`${id}-min`}
            type="number"
            inputMode="decimal"
            min={1}
            max={10}
            step={0.5}
            value={min}
            onChange={(e) => setMin(e.target.value)}
            aria-invalid={!valid(min)}
            disabled={disabled}
          />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-edge`}>Edge-case bar</Label>
          <Input
            id={`${id}-edge`}
            type="number"
            inputMode="decimal"
            min={1}
            max={10}
            step={0.5}
            value={edge}
            onChange={(e) => setEdge(e.target.value)}
            aria-invalid={!valid(edge)}
            disabled={disabled}
          />
        </div>
        <Button type="submit" variant="outline" disabled={disabled || pending || !changed || !valid(min) || !valid(edge)}>
          {pending && <Loader2 aria-hidden className="animate-spin" />}
          Save tier rules
        </Button>
        <Button type="button" variant="ghost" disabled={disabled || pending || isDefault} onClick={() => save(DEFAULT_TIER_RULES)}>
          Reset to 6 and 8
        </Button>
      </div>
      {(!valid(min) || !valid(edge)) && (
        <p role="alert" className="text-sm text-destructive">
          Each bar is a quality score from 1 to 10.
        </p>
      )}
    </form>
  );
}
