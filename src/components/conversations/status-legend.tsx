/** The status legend under the table (US2.2.1: "Status legend visible showing badge meanings"). */
import { cn } from "@/lib/utils";
import { STATUS_OPTIONS } from "./status-options";

export function StatusLegend() {
  return (
    <section aria-label="Status legend" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground">
      <span className="font-medium">Status:</span>
      {STATUS_OPTIONS.map((option) => {
        const Icon = option.icon;
        return (
          <span key={option.value} className="inline-flex items-center gap-1" title={option.meaning}>
            <span className={cn("inline-flex size-4 items-center justify-center rounded-sm border", option.className)}>
              <Icon aria-hidden className="size-3" />
            </span>
            <span>
              <span className="text-foreground">{option.label}</span> — {option.meaning}
            </span>
          </span>
        );
      })}
    </section>
  );
}
