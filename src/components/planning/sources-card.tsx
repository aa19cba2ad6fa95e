"use client";
/**
 * Where conversations come from (US10.1.2): a weight per document category ("allocate more
 * conversations to high-value categories"), "Generate from Complete Systems only", and the
 * conversations per category so far. Saved in the workspace's plan settings; used for the slots
 * planned from then on.
 */
import { useId, useState } from "react";
import Link from "next/link";
import { Loader2, Save } from "lucide-react";
import { toast } from "sonner";
import { MAX_CATEGORY_WEIGHT } from "@/core/planning/plan-settings";
import { pluralize } from "@/lib/format";
import type { CategoryView, PlanningPageView } from "@/lib/planning-contract";
import { workspacePaths } from "@/lib/workspace-paths";
import { savePlanSettingsAction } from "@/server/actions/planning";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { useWorkspace } from "@/components/workspaces/workspace-provider";

export function SourcesCard({
  categories,
  settings,
  hasCompleteSystems,
  disabled,
  onChanged,
}: {
  categories: CategoryView[];
  settings: PlanningPageView["planSettings"];
  hasCompleteSystems: boolean;
  disabled: boolean;
  onChanged: () => void;
}) {
  const { slug } = useWorkspace();
  const id = useId();
  const weightOf = (name: string) => String(Object.entries(settings.categoryWeights).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? 1);
  const [weights, setWeights] = useState<Record<string, string>>(() => Object.fromEntries(categories.map((c) => [c.name, weightOf(c.name)])));
  const [completeOnly, setCompleteOnly] = useState(settings.completeSystemsOnly && hasCompleteSystems);
  const [busy, setBusy] = useState(false);
  const parsed = Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, v.trim() === "" ? Number.NaN : Number(v)]));
  const bad = Object.entries(parsed).filter(([, v]) => !Number.isFinite(v) || v < 0 || v > MAX_CATEGORY_WEIGHT);
  const totalConversations = categories.reduce((s, c) => s + c.conversations, 0);

  const save = async () => {
    setBusy(true);
    try {
      const result = await savePlanSettingsAction(slug, { categoryWeights: parsed, completeSystemsOnly: completeOnly });
      if (result.ok) {
        toast.success("Sources saved", { description: "Slots planned from now on follow them; slots already planned keep their chunks." });
        onChanged();
      } else toast.error("Could not save the sources", { description: result.error.message });
    } catch {
      toast.error("Could not save the sources", { description: "The server could not be reached. Try again." });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card role="region" aria-labelledby={`${id}-title`}>
      <CardHeader>
        <CardTitle id={`${id}-title`}>Sources: document categories</CardTitle>
        <CardDescription>
          Give a category more weight to plan more conversations from its chunks (2 = twice as many as a category of weight 1; 0 = none). Tier 2 keeps each scenario&apos;s own chunk.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {categories.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No documents yet: add them on the{" "}
            <Link className="underline underline-offset-2" href={workspacePaths(slug).documents}>
              Documents page
            </Link>
            .
          </p>
        ) : (
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b text-left text-xs text-muted-foreground">
                <th className="py-1 font-medium">Category</th>
                <th className="py-1 font-medium">Documents</th>
                <th className="py-1 font-medium">Conversations</th>
                <th className="py-1 font-medium">Weight</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((c) => {
                const share = totalConversations ? Math.round((c.conversations / totalConversations) * 100) : 0;
                return (
                  <tr key={c.name} className="border-b last:border-0">
                    <td className="py-1.5">{c.name}</td>
                    <td className="py-1.5 tabular-nums text-muted-foreground">
                      {c.documents} ({pluralize(c.chunks, "chunk")})
                    </td>
                    <td className="py-1.5 tabular-nums">
                      {c.conversations} <span className="text-muted-foreground">({share} %)</span>
                      {c.conversations === 0 && totalConversations > 0 ? <span className="ml-1 text-amber-700 dark:text-amber-400">underrepresented</span> : null}
                    </td>
                    <td className="py-1.5">
                      <Input
                        className="h-8 w-20 text-right tabular-nums"
                        inputMode="decimal"
                        aria-label={`Weight of ${c.name}`}
                        value={weights[c.name] ?? "1"}
                        disabled={disabled || (completeOnly && c.name.toLowerCase() !== "complete systems")}
                        onChange={(e) => setWeights({ ...weights, [c.name]: e.target.value })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {bad.length > 0 && (
          <p role="alert" className="text-sm text-destructive">
            {bad[0][0]}: enter a weight from 0 to {MAX_CATEGORY_WEIGHT}.
          </p>
        )}
        <div className="flex items-start gap-3">
          <Switch id={`${id}-complete`} checked={completeOnly} onCheckedChange={setCompleteOnly} disabled={disabled || !hasCompleteSystems} />
          <div className="space-y-0.5">
            <Label htmlFor={`${id}-complete`}>Generate from Complete Systems only</Label>
            <p className="text-sm text-muted-foreground">
              {hasCompleteSystems
                ? "Only chunks of documents in the “Complete Systems” category, and the scenarios drawn from them."
                : "No document of this workspace is in the “Complete Systems” category. Set a document's category on the Documents page to use this."}
            </p>
          </div>
        </div>
        <Button onClick={save} disabled={disabled || busy || bad.length > 0 || categories.length === 0}>
          {busy ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <Save aria-hidden className="size-4" />}
          Save sources
        </Button>
      </CardContent>
    </Card>
  );
}
