"use client";
/**
 * Arc configuration (US8.1.2): enable or disable each emotional arc, a percentage per enabled arc
 * that must add up to 100 (the remaining % shown), a live preview ("40 conversations = 10 Triumph
 * + 8 Struggle-to-Success + …", counted by the planner's own function), save as a named preset,
 * load a preset, and reset to the even split. At least one arc stays enabled.
 */
import { useId, useState } from "react";
import { Loader2, RotateCcw, Save } from "lucide-react";
import { toast } from "sonner";
import { allocateByLargestRemainder, arcConfigurationProblems, arcCounts, describeArcPreview } from "@/core/planning/allocate";
import type { ArcConfigView, PlanningPageView } from "@/lib/planning-contract";
import { saveArcConfigurationAction, saveArcPresetAction } from "@/server/actions/planning";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { useWorkspace } from "@/components/workspaces/workspace-provider";

interface Row extends ArcConfigView {
  /** The percentage as typed. */
  text: string;
}

/** Even percentages over the enabled rows (largest remainder of 100). */
function evenRows(rows: Row[]): Row[] {
  const even = allocateByLargestRemainder(100, rows.filter((r) => r.enabled).map((r) => ({ key: r.key, weight: 1 })));
  return rows.map((r) => ({ ...r, percent: r.enabled ? even[r.key] : 0, text: String(r.enabled ? even[r.key] : 0) }));
}

export function ArcConfigurationCard({
  arcs,
  even: initiallyEven,
  presets,
  templateCount,
  disabled,
  onChanged,
}: {
  arcs: ArcConfigView[];
  even: boolean;
  presets: PlanningPageView["presets"];
  /** Tier 1's size, for the preview. */
  templateCount: number;
  disabled: boolean;
  onChanged: () => void;
}) {
  const { slug } = useWorkspace();
  const id = useId();
  const [rows, setRows] = useState<Row[]>(() => arcs.map((a) => ({ ...a, text: String(a.percent) })));
  const [even, setEven] = useState(initiallyEven);
  const [presetName, setPresetName] = useState("");
  const [busy, setBusy] = useState<"save" | "preset" | null>(null);

  const percentages = Object.fromEntries(rows.map((r) => [r.key, r.text.trim() === "" ? Number.NaN : Number(r.text)]));
  const problems = arcConfigurationProblems(rows, percentages);
  const enabledSum = rows.filter((r) => r.enabled).reduce((s, r) => s + (Number.isFinite(percentages[r.key]) ? percentages[r.key] : 0), 0);
  const valid = problems.length === 0;
  const distribution = Object.fromEntries(rows.filter((r) => r.enabled).map((r) => [r.key, Number.isFinite(percentages[r.key]) ? percentages[r.key] : 0]));
  const counts = valid ? arcCounts(templateCount, rows, distribution) : {};
  const payload = rows.map((r) => ({ key: r.key, enabled: r.enabled, percent: r.enabled && Number.isFinite(percentages[r.key]) ? percentages[r.key] : 0 }));

  const toggle = (key: string, enabled: boolean) => {
    const next = rows.map((r) => (r.key === key ? { ...r, enabled, text: enabled ? r.text : "0" } : r));
    setRows(even ? evenRows(next) : next);
  };
  const setPercent = (key: string, text: string) => {
    setEven(false);
    setRows(rows.map((r) => (r.key === key ? { ...r, text } : r)));
  };
  const reset = () => {
    setEven(true);
    setRows(evenRows(rows.map((r) => ({ ...r, enabled: true }))));
  };
  const loadPreset = (presetId: string) => {
    const preset = presets.find((p) => p.id === presetId);
    if (!preset) return;
    setEven(false);
    setRows(rows.map((r) => ({ ...r, enabled: r.key in preset.distribution, text: String(preset.distribution[r.key] ?? 0) })));
    toast.info(`Loaded the preset "${preset.name}"`, { description: "Save the configuration to plan with it." });
  };

  const save = async () => {
    setBusy("save");
    try {
      const result = await saveArcConfigurationAction(slug, { arcs: payload, even });
      if (result.ok) {
        toast.success("Arc configuration saved", { description: "Tier 1 slots planned from now on follow it." });
        onChanged();
      } else toast.error("Could not save the arc configuration", { description: result.error.message });
    } catch {
      toast.error("Could not save the arc configuration", { description: "The server could not be reached. Try again." });
    } finally {
      setBusy(null);
    }
  };
  const savePreset = async () => {
    setBusy("preset");
    try {
      const result = await saveArcPresetAction(slug, { name: presetName, arcs: payload });
      if (result.ok) {
        toast.success(`Preset "${result.data.name}" saved`);
        setPresetName("");
        onChanged();
      } else toast.error("Could not save the preset", { description: result.error.message });
    } catch {
      toast.error("Could not save the preset", { description: "The server could not be reached. Try again." });
    } finally {
      setBusy(null);
    }
  };

  if (!rows.length) {
    return (
      <Card role="region" aria-labelledby={`${id}-title`}>
        <CardHeader>
          <CardTitle id={`${id}-title`}>Arc configuration</CardTitle>
          <CardDescription>This workspace has no emotional arcs yet: add them on the Taxonomy page.</CardDescription>
        </CardHeader>
      </Card>
    );
  }

  return (
    <Card role="region" aria-labelledby={`${id}-title`}>
      <CardHeader>
        <CardTitle id={`${id}-title`}>Arc configuration</CardTitle>
        <CardDescription>Which emotional arcs Tier 1 uses, and what share of it each gets. The percentages of the enabled arcs must add up to 100.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <table className="w-full text-sm">
          <thead className="sr-only">
            <tr>
              <th>Arc</th>
              <th>Percentage</th>
              <th>Conversations</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className="border-b last:border-0">
                <td className="py-1.5">
                  <div className="flex items-center gap-2">
                    <Checkbox id={`${id}-${row.key}`} checked={row.enabled} onCheckedChange={(v) => toggle(row.key, v === true)} disabled={disabled} aria-label={`Use ${row.name}`} />
                    <Label htmlFor={`${id}-${row.key}`} className={row.enabled ? undefined : "text-muted-foreground"}>
                      {row.name}
                    </Label>
                  </div>
                </td>
                <td className="w-28 py-1.5">
                  <div className="flex items-center gap-1">
                    <Input
                      className="h-8 w-16 text-right tabular-nums"
                      inputMode="numeric"
                      aria-label={`${row.name} percentage`}
                      value={row.enabled ? row.text : ""}
                      placeholder={row.enabled ? "0" : "off"}
                      disabled={disabled || !row.enabled}
                      onChange={(e) => setPercent(row.key, e.target.value)}
                    />
                    <span className="text-muted-foreground">%</span>
                  </div>
                </td>
                <td className="w-16 py-1.5 text-right tabular-nums text-muted-foreground">{row.enabled && valid ? counts[row.key] : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="text-sm tabular-nums" data-testid="arc-remaining">
          {even ? "Even split over the enabled arcs." : enabledSum === 100 ? "100 % given." : enabledSum < 100 ? `${100 - enabledSum} % left to give.` : `${enabledSum - 100} % too many.`}
        </p>
        {problems.length > 0 ? (
          <p role="alert" className="text-sm text-destructive">
            {problems.join(" ")}
          </p>
        ) : (
          <p className="rounded-md bg-muted px-3 py-2 text-sm" role="status" aria-label="Arc preview">
            {describeArcPreview(templateCount, rows, distribution)}
          </p>
        )}
        <div className="flex flex-wrap items-center gap-2">
          <Button onClick={save} disabled={disabled || !valid || busy !== null}>
            {busy === "save" ? <Loader2 aria-hidden className="size-4 animate-spin" /> : <Save aria-hidden className="size-4" />}
            Save arc configuration
          </Button>
          <Button variant="outline" onClick={reset} disabled={disabled || busy !== null}>
            <RotateCcw aria-hidden className="size-4" />
            Reset to even split
          </Button>
        </div>
        <div className="flex flex-wrap items-end gap-2 border-t pt-4">
          <div className="space-y-1">
            <Label htmlFor={`${id}-preset`}>Save as preset</Label>
            <Input id={`${id}-preset`} className="h-9 w-48" placeholder="Preset name" value={presetName} onChange={(e) => setPresetName(e.target.value)} disabled={disabled} />
          </div>
          <Button variant="outline" onClick={savePreset} disabled={disabled || !valid || !presetName.trim() || busy !== null}>
            {busy === "preset" && <Loader2 aria-hidden className="size-4 animate-spin" />}
            Save preset
          </Button>
          {presets.length > 0 && (
            <div className="space-y-1">
              <Label htmlFor={`${id}-load`}>Load a preset</Label>
              <Select onValueChange={loadPreset} disabled={disabled}>
                <SelectTrigger id={`${id}-load`} className="h-9 w-48">
                  <SelectValue placeholder="Choose a preset" />
                </SelectTrigger>
                <SelectContent>
                  {presets.map((p) => (
                    <SelectItem key={p.id} value={p.id}>
                      {p.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
