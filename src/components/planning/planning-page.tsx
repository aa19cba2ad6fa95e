"use client";
/**
 * The planning page (issue 10 items 2 and 5): the plan's size and tier split, the arc
 * configuration, the sources (category weighting, Complete Systems only), coverage (fill missing
 * combinations), one section per tier with "Generate All Tier N", and the progress of runs
 * ("Generating Tier 1: 12 of 40 complete"). Generation goes through the same estimate dialog
 * as the conversations page.
 */
import { RoleNotice } from "@/components/accounts/role-notice";
import { useCallback, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { AlertTriangle } from "lucide-react";
import { toast } from "sonner";
import { TIER_LABELS, TIERS, type Tier } from "@/lib/constants";
import type { GenerationScope } from "@/lib/dashboard-contract";
import type { PlanningPageView } from "@/lib/planning-contract";
import type { RunProgress } from "@/lib/run-states";
import { workspacePaths } from "@/lib/workspace-paths";
import { GenerateDialog } from "@/components/conversations/generate-dialog";
import { ProgressPanel, tierHeadline } from "@/components/conversations/progress-panel";
import { useRunProgress } from "@/components/conversations/use-run-progress";
import { SectionErrorBoundary } from "@/components/section-error-boundary";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { ArcConfigurationCard } from "./arc-configuration-card";
import { FillMissingCard } from "./fill-missing-card";
import { PlanSplitCard } from "./plan-split-card";
import { SourcesCard } from "./sources-card";
import { TierSection, tierName } from "./tier-section";

export function PlanningPage({ view }: { view: PlanningPageView }) {
  const { slug, archived } = useWorkspace();
  const router = useRouter();
  const [, startTransition] = useTransition();
  const refresh = useCallback(() => startTransition(() => router.refresh()), [router]);
  const [templateCount, setTemplateCount] = useState(view.split.template);

  const [runIds, setRunIds] = useState<string[]>(() => view.activeRuns.map((r) => r.runId));
  const [panelOpen, setPanelOpen] = useState(view.activeRuns.length > 0);
  const { progress: runs, errors: streamErrors } = useRunProgress({
    runIds,
    initial: view.activeRuns,
    onFinished: (p: RunProgress) => {
      refresh();
      const text = `${p.succeeded} succeeded, ${p.failed} failed${p.cancelled ? `, ${p.cancelled} cancelled` : ""}`;
      const title = tierHeadline(p) ?? "Generation finished";
      if (p.status === "cancelled") toast.info("Generation cancelled", { description: text });
      else if (p.failed) toast.warning(title, { description: `${text}. Retry the failed ones with Generate All again, or open them on the Conversations page.` });
      else toast.success(title, { description: text });
    },
  });
  const runList = runIds.map((id) => runs[id]).filter((r): r is RunProgress => Boolean(r));
  const hasActiveRun = runList.some((r) => !r.finished);
  const [generate, setGenerate] = useState<{ scope: GenerationScope; description: string } | null>(null);

  const planned = Object.fromEntries(view.tiers.map((t) => [t.tier, t.planned])) as Record<Tier, number>;
  const generateTier = (tier: Tier) => {
    const section = view.tiers.find((t) => t.tier === tier);
    setGenerate({
      scope: { kind: "tier", tier },
      description: `every conversation of ${tierName(tier)} (${TIER_LABELS[tier]}) not generated yet or failed (${section?.generatable ?? 0})`,
    });
  };
  const paths = workspacePaths(slug);

  return (
    <div className="mx-auto w-full max-w-7xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Plan the dataset</h1>
        <p className="text-muted-foreground">
          How many conversations, across which tiers, arcs and sources; then generate it tier by tier. Planned conversations appear on the{" "}
          <Link className="underline underline-offset-2" href={paths.conversations()}>
            Conversations page
          </Link>{" "}
          too.
        </p>
      </header>
      <RoleNotice permission="plan" />
      {view.planProblem && (
        <Alert variant="destructive" role="alert">
          <AlertTriangle aria-hidden />
          <AlertTitle>Planning is not possible yet</AlertTitle>
          <AlertDescription>{view.planProblem}</AlertDescription>
        </Alert>
      )}
      <SectionErrorBoundary section="Generation progress">
        <ProgressPanel
          runs={runList}
          streamErrors={streamErrors}
          open={panelOpen}
          onOpenChange={setPanelOpen}
          onDismiss={() => setRunIds((ids) => ids.filter((id) => runs[id] && !runs[id].finished))}
          onChanged={refresh}
        />
      </SectionErrorBoundary>
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <div className="space-y-6">
          <PlanSplitCard split={view.split} planned={planned} ungenerated={view.ungeneratedTotal} disabled={archived} onTemplateCountChange={setTemplateCount} onChanged={refresh} />
          <FillMissingCard missing={view.missingCombinations} maxFill={view.maxFillSlots} disabled={archived || view.planProblem !== null} onChanged={refresh} />
        </div>
        <ArcConfigurationCard arcs={view.arcs} even={view.arcsEven} presets={view.presets} templateCount={templateCount} disabled={archived} onChanged={refresh} />
      </div>
      <SourcesCard categories={view.categories} settings={view.planSettings} hasCompleteSystems={view.hasCompleteSystems} disabled={archived} onChanged={refresh} />
      {TIERS.map((tier) => {
        const section = view.tiers.find((t) => t.tier === tier);
        return section ? <TierSection key={tier} section={section} busy={archived || hasActiveRun} onGenerate={() => generateTier(tier)} /> : null;
      })}
      <GenerateDialog
        open={generate !== null}
        onOpenChange={(open) => !open && setGenerate(null)}
        scope={generate?.scope ?? null}
        description={generate?.description ?? ""}
        workerProblem={view.workerProblem}
        onStarted={({ runId }) => {
          setRunIds((ids) => (ids.includes(runId) ? ids : [runId, ...ids]));
          setPanelOpen(true);
          refresh();
        }}
      />
    </div>
  );
}
