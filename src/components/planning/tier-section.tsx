"use client";
/**
 * One tier of the plan (US8.1.1, US8.2.1, US8.3.1): its slots (conversation id, persona, arc,
 * topic, scenario or edge-case category, outcome, status), its coverage report and
 * "Generate All Tier N".
 */
import { Sparkles } from "lucide-react";
import { STATUS_LABELS, TIER_LABELS, TIERS, type ConversationStatus } from "@/lib/constants";
import { pluralize } from "@/lib/format";
import type { TierSectionView } from "@/lib/planning-contract";
import { StatusBadge } from "@/components/conversations/status-badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DistributionBars } from "./distribution-bars";

const STATUS_ORDER: ConversationStatus[] = ["not_generated", "generating", "generated", "approved", "rejected", "failed"];

/** What each tier is for, in a line. */
const TIER_PURPOSE = {
  template: "Emotional-arc templates: the dataset's foundation, spread over arcs as the arc configuration says.",
  scenario: "Real customer situations from the scenario library, each traced to its source chunk.",
  edge_case: "Boundary conditions: extreme emotions, conflicting goals, challenging questions. Reviewed one by one.",
} as const;

/** "Tier 1" for template, "Tier 2" for scenario, "Tier 3" for edge case. */
export function tierName(tier: TierSectionView["tier"]): string {
  return `Tier ${TIERS.indexOf(tier) + 1}`;
}

export function TierSection({ section, busy, onGenerate }: { section: TierSectionView; busy: boolean; onGenerate: () => void }) {
  const name = tierName(section.tier);
  const headingId = `tier-${section.tier}-heading`;
  const detailTitle = section.tier === "scenario" ? "Scenarios" : section.tier === "edge_case" ? "Edge-case categories" : null;
  const counts = STATUS_ORDER.filter((s) => section.byStatus[s]).map((s) => `${section.byStatus[s]} ${STATUS_LABELS[s].toLowerCase()}`);
  return (
    <section aria-labelledby={headingId} className="space-y-4 rounded-xl border bg-card p-4 text-card-foreground shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h2 id={headingId} className="text-lg font-semibold">
            {name} · {TIER_LABELS[section.tier]}{" "}
            <span className="font-normal text-muted-foreground">({pluralize(section.total, "conversation")})</span>
          </h2>
          <p className="text-sm text-muted-foreground">{TIER_PURPOSE[section.tier]}</p>
          <p className="text-sm tabular-nums">
            {counts.length ? counts.join(" · ") : "Nothing planned in this tier."}
            {section.seeds > 0 ? <span className="text-muted-foreground"> · {pluralize(section.seeds, "seed conversation")} included in the counts</span> : null}
          </p>
        </div>
        <Button onClick={onGenerate} disabled={busy || section.generatable === 0} title={section.generatable === 0 ? "Every conversation of this tier is generated, being generated or reviewed." : undefined}>
          <Sparkles aria-hidden className="size-4" />
          Generate All {name}
          {section.generatable > 0 ? ` (${section.generatable})` : ""}
        </Button>
      </div>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <DistributionBars title="Emotional arcs" entries={section.distributions.arcs} />
        <DistributionBars title="Personas" entries={section.distributions.personas} />
        {detailTitle ? <DistributionBars title={detailTitle} entries={section.distributions.details} /> : <DistributionBars title="Topics" entries={section.distributions.topics} />}
        <DistributionBars title="Outcomes" entries={section.distributions.outcomes} />
      </div>
      {section.total > 0 && (
        <details className="group rounded-md border">
          <summary className="cursor-pointer px-3 py-2 text-sm font-medium">
            Slots of {name} ({section.total > section.slots.length ? `first ${section.slots.length} of ${section.total}` : section.total})
          </summary>
          <div className="max-h-96 overflow-auto border-t">
            <Table aria-label={`Slots of ${name}`}>
              <TableHeader>
                <TableRow>
                  <TableHead>Conversation</TableHead>
                  <TableHead>Persona</TableHead>
                  <TableHead>Arc</TableHead>
                  <TableHead>Topic</TableHead>
                  {detailTitle && <TableHead>{section.tier === "scenario" ? "Scenario" : "Edge case"}</TableHead>}
                  <TableHead>Outcome</TableHead>
                  <TableHead>Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {section.slots.map((slot) => (
                  <TableRow key={slot.conversationId}>
                    <TableCell className="font-mono text-xs">
                      {slot.conversationId}
                      {slot.isSeed ? <span className="ml-1 text-muted-foreground">(seed)</span> : null}
                    </TableCell>
                    <TableCell>{slot.persona}</TableCell>
                    <TableCell>{slot.arc}</TableCell>
                    <TableCell>{slot.topic}</TableCell>
                    {detailTitle && <TableCell>{slot.detail ?? "—"}</TableCell>}
                    <TableCell>{slot.outcome ?? <span className="text-muted-foreground">none</span>}</TableCell>
                    <TableCell>
                      <StatusBadge status={slot.status} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </details>
      )}
    </section>
  );
}
