"use client";
/**
 * The quality score as a coloured badge with an icon (US4.3.1: red under the bar with ⚠, yellow
 * from the bar to under 8 with ✓, green 8–10 with ✓✓), a breakdown tooltip, and a click that opens
 * the details dialog (US4.3.2). With the conversation's tier, the bar is the workspace's tier rule
 * (Settings → Tier rules: 6, edge cases 8) and a conversation below it is flagged in words ("does
 * not meet edge-case criteria").
 */
import { AlertTriangle, Check, CheckCheck } from "lucide-react";
import { cn } from "@/lib/utils";
import type { Tier } from "@/lib/constants";
import { approvalBar, belowBarText, isBelowApprovalBar, type TierRules } from "@/core/review/review-rules";
import { useTierRules } from "@/components/workspaces/workspace-provider";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";

/**
 * high 8–10, medium from the bar to under 8, low under the bar: the bar is the tier's approval bar
 * when `tier` is given, else the minimum approval score (the Quality filter's bands use 6).
 */
export function qualityBand(score: number, rules: TierRules, tier?: Tier): "high" | "medium" | "low" {
  const bar = tier ? approvalBar(tier, rules) : rules.minApprovalScore;
  if (score < bar) return "low";
  if (score >= 8) return "high";
  return "medium";
}

const BAND = {
  high: { icon: CheckCheck, label: "High", className: "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" },
  medium: { icon: Check, label: "Medium", className: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200" },
  low: { icon: AlertTriangle, label: "Low", className: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200" },
} as const;

/**
 * @param score 1–10, null until generated (renders a dash).
 * @param tier the conversation's tier: its bar decides the flag (edge cases: the higher bar).
 * @param summary one-line breakdown for the tooltip ("Turn count 10/10 · Length 9.1/10 · …").
 */
export function QualityBadge({
  score,
  tier,
  summary,
  onOpenDetails,
  className,
}: {
  score: number | null;
  tier?: Tier;
  summary?: string | null;
  onOpenDetails?: () => void;
  className?: string;
}) {
  const rules = useTierRules();
  if (score === null) return <span className="text-muted-foreground" aria-label="Not scored yet">—</span>;
  const band = BAND[qualityBand(score, rules, tier)];
  const flag = tier ? (isBelowApprovalBar(score, tier, rules) ? belowBarText(score, tier, rules) : null) : score < rules.minApprovalScore ? "flagged for review" : null;
  const Icon = band.icon;
  const text = score.toFixed(1);
  const classes = cn("inline-flex h-6 items-center gap-1 rounded-md border px-2 text-xs font-semibold tabular-nums", band.className, className);
  const tip = (
    <div className="max-w-xs space-y-1">
      <div className="font-medium">
        {band.label} quality: {text} / 10{flag ? ` — ${flag}` : ""}
      </div>
      {summary ? <div className="text-xs opacity-90">{summary.split(" · ").join("\n")}</div> : null}
      {onOpenDetails ? <div className="text-xs opacity-75">Click for the full breakdown.</div> : null}
    </div>
  );
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        {onOpenDetails ? (
          <button
            type="button"
            aria-label={`Quality ${text}${flag ? `, ${flag}` : ""}: show details`}
            onClick={(event) => {
              event.stopPropagation();
              onOpenDetails();
            }}
            className={cn(classes, "cursor-pointer hover:opacity-90 focus-visible:ring-ring/50 focus-visible:outline-none focus-visible:ring-[3px]")}
          >
            <Icon aria-hidden className="size-3.5" />
            {text}
          </button>
        ) : (
          <span className={classes} aria-label={flag ? `Quality ${text}, ${flag}` : undefined}>
            <Icon aria-hidden className="size-3.5" />
            {text}
          </span>
        )}
      </TooltipTrigger>
      <TooltipContent className="whitespace-pre-line">{tip}</TooltipContent>
    </Tooltip>
  );
}
