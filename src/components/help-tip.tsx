"use client";

import Link from "next/link";
import { CircleHelpIcon } from "lucide-react";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { HELP_TOPICS, helpTopicHref, type HelpTopicId } from "@/lib/help-topics";

/**
 * A (?) button beside a complex control: opens a short explanation with "Learn more" into the
 * user guide (src/lib/help-topics.ts). A popover rather than a tooltip, because it holds a link
 * and must work by keyboard and touch.
 */
export function HelpTip({ topic }: { topic: HelpTopicId }) {
  const { title, text } = HELP_TOPICS[topic];
  return (
    <Popover>
      <PopoverTrigger asChild>
        <button
          type="button"
          aria-label={`About ${title}`}
          className="inline-flex size-5 items-center justify-center rounded-full align-middle text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <CircleHelpIcon className="size-4" aria-hidden="true" />
        </button>
      </PopoverTrigger>
      <PopoverContent className="w-80 space-y-2 text-sm" align="start">
        <p>{text}</p>
        <Link href={helpTopicHref(topic)} target="_blank" className="font-medium text-primary underline underline-offset-4">
          Learn more in the user guide
        </Link>
      </PopoverContent>
    </Popover>
  );
}
