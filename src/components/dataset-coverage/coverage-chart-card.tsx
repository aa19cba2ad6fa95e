"use client";
/**
 * One coverage chart (issue 13 item 1): its title (the figure's accessible name), a line on what it
 * counts, a "Download PNG" button, the chart itself, and a "Show as table" fallback with the same
 * figures and the same links into the conversations table.
 */
import { useRef, useState } from "react";
import { ImageDown } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { downloadChartPng, type PngLegendItem } from "./download-chart-png";

export function CoverageChartCard({
  id,
  title,
  description,
  fileName,
  legend,
  chartLabel,
  children,
  table,
}: {
  id: string;
  title: string;
  description: string;
  /** The PNG's file name. */
  fileName: string;
  /** Legend entries drawn under the chart in the PNG. */
  legend?: PngLegendItem[];
  /** What a screen reader hears for the drawing (the table below has the figures). */
  chartLabel: string;
  children: React.ReactNode;
  table: React.ReactNode;
}) {
  const chartRef = useRef<HTMLDivElement>(null);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    if (!chartRef.current) return;
    setSaving(true);
    try {
      await downloadChartPng({ container: chartRef.current, fileName, title, legend });
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The chart could not be saved as an image.");
    } finally {
      setSaving(false);
    }
  };
  return (
    <figure aria-labelledby={`${id}-title`} className="flex flex-col gap-2 rounded-lg border p-4">
      <div className="flex items-start justify-between gap-2">
        <div className="space-y-0.5">
          <figcaption id={`${id}-title`} className="font-semibold">
            {title}
          </figcaption>
          <p className="text-sm text-muted-foreground">{description}</p>
        </div>
        <Button type="button" variant="outline" size="sm" onClick={save} disabled={saving} aria-label={`Download ${title} as PNG`}>
          <ImageDown aria-hidden className="size-4" /> PNG
        </Button>
      </div>
      <div ref={chartRef} role="img" aria-label={chartLabel}>
        {children}
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-muted-foreground">Show as table</summary>
        {table}
      </details>
    </figure>
  );
}
