import Link from "next/link";
import { ArrowRight, CheckCircle2, Circle } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { cn } from "@/lib/utils";
import type { FirstRunChecklist } from "@/server/first-run-checklist";

/**
 * The first-run checklist in full (the Get started page): each step with a done / to-do mark, what
 * is there or missing, and a link to its page; the next step's link is the primary button.
 */
export function FirstRunChecklistView({ checklist }: { checklist: FirstRunChecklist }) {
  const total = checklist.steps.length;
  return (
    <section aria-labelledby="first-run-title" className="space-y-4">
      <div className="space-y-2">
        <h2 id="first-run-title" className="text-lg font-semibold">
          {checklist.complete ? "All set" : `${checklist.doneCount} of ${total} done`}
        </h2>
        <Progress value={(checklist.doneCount / total) * 100} aria-label={`${checklist.doneCount} of ${total} steps done`} />
      </div>
      <ol className="divide-y rounded-lg border">
        {checklist.steps.map((step, index) => {
          const isNext = checklist.next?.id === step.id;
          return (
            <li key={step.id} className={cn("flex flex-wrap items-start gap-3 p-4 sm:flex-nowrap", isNext && "bg-accent/40")} aria-current={isNext ? "step" : undefined}>
              {step.done ? (
                <CheckCircle2 aria-hidden className="mt-0.5 size-5 shrink-0 text-emerald-600 dark:text-emerald-400" />
              ) : (
                <Circle aria-hidden className="mt-0.5 size-5 shrink-0 text-muted-foreground" />
              )}
              <div className="min-w-0 flex-1 space-y-1">
                <p className="font-medium">
                  <span className="sr-only">{step.done ? "Done: " : "To do: "}</span>
                  {index + 1}. {step.title}
                </p>
                <p className="text-sm text-muted-foreground">{step.detail}</p>
              </div>
              <Button asChild size="sm" variant={isNext ? "default" : "outline"} className="shrink-0">
                <Link href={step.href}>
                  {step.action}
                  {isNext && <ArrowRight aria-hidden />}
                </Link>
              </Button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/**
 * One line above the conversations table while the checklist is not complete: how far along, the
 * next step, and links to it and to the whole checklist.
 */
export function FirstRunBanner({ checklist, href }: { checklist: FirstRunChecklist; href: string }) {
  if (checklist.complete || !checklist.next) return null;
  const total = checklist.steps.length;
  return (
    <div role="note" aria-label="Get started" className="mx-auto w-full max-w-[1800px] px-4 pt-3 lg:px-6">
      <div className="flex flex-wrap items-center gap-3 rounded-lg border bg-muted/40 px-4 py-2.5 text-sm">
        <span className="font-medium">Get started: {checklist.doneCount} of {total} done</span>
        <span className="text-muted-foreground">
          Next: <Link href={checklist.next.href} className="font-medium text-foreground underline underline-offset-4">{checklist.next.title}</Link>
        </span>
        <Link href={href} className="ml-auto text-muted-foreground underline underline-offset-4 hover:text-foreground">
          See the checklist
        </Link>
      </div>
    </div>
  );
}
