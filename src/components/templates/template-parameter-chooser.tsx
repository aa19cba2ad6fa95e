"use client";
/**
 * Where a template preview or test takes its parameters from (issue 11 items 3 and 5): "a planned
 * conversation" (a searchable list of the workspace's conversations of the template's tier,
 * planned ones first, showing id, persona, arc and topic) or "sample parameters" (drawn from the
 * workspace's taxonomy and chunks; the same sample number gives the same combination, Shuffle
 * draws the next one). Shared by the preview pane and the test panel.
 */
import { useEffect, useId, useState } from "react";
import { Check, ChevronsUpDown, Shuffle } from "lucide-react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from "@/components/ui/command";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import type { TemplateParameterSourceChoice } from "@/core/templates/preview-template";
import { STATUS_LABELS, type Tier } from "@/lib/constants";
import { cn } from "@/lib/utils";
import { listPreviewConversationsAction, type PreviewConversationOption } from "@/server/actions/template-workbench";

/** The source a panel starts with: sample #1 (every workspace with a taxonomy has one). */
export const DEFAULT_PARAMETER_SOURCE: TemplateParameterSourceChoice = { kind: "sample", seed: 1 };

export function TemplateParameterChooser({
  slug,
  tier,
  value,
  onChange,
  label,
}: {
  slug: string;
  tier: Tier;
  value: TemplateParameterSourceChoice;
  onChange: (source: TemplateParameterSourceChoice) => void;
  /** Names the group for screen readers, e.g. "Preview parameters". */
  label: string;
}) {
  const name = useId();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const [options, setOptions] = useState<PreviewConversationOption[]>([]);
  const [chosen, setChosen] = useState<PreviewConversationOption | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (value.kind !== "conversation" && !open) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      setLoading(true);
      const result = await listPreviewConversationsAction(slug, { tier, search });
      if (cancelled) return;
      setLoading(false);
      if (result.ok) setOptions(result.data);
      else toast.error(result.error.message);
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [slug, tier, search, open, value.kind]);

  // Switching to "a planned conversation" takes the first one (planned first) right away, so the
  // panel never shows one source's result under the other's label.
  const chooseConversationMode = async () => {
    if (chosen) {
      onChange({ kind: "conversation", id: chosen.id });
      return;
    }
    const result = await listPreviewConversationsAction(slug, { tier, search: "" });
    if (!result.ok) {
      toast.error(result.error.message);
      return;
    }
    setOptions(result.data);
    const first = result.data[0];
    if (!first) {
      toast.error("There are no conversations of this tier yet. Plan some on the Planning page, or use sample parameters.");
      return;
    }
    setChosen(first);
    onChange({ kind: "conversation", id: first.id });
  };

  return (
    <fieldset className="min-w-0 space-y-2" aria-label={label}>
      <legend className="sr-only">{label}</legend>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <label className="flex items-center gap-1.5">
          <input type="radio" name={name} checked={value.kind === "sample"} onChange={() => onChange({ kind: "sample", seed: 1 })} />
          Sample parameters
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" name={name} checked={value.kind === "conversation"} onChange={() => void chooseConversationMode()} />A planned conversation
        </label>
      </div>
      {value.kind === "sample" ? (
        <div className="flex items-center gap-2 text-sm text-muted-foreground">
          <span>Sample #{value.seed}: drawn from this workspace&rsquo;s customers, arcs, topics and chunks.</span>
          <Button type="button" variant="outline" size="sm" onClick={() => onChange({ kind: "sample", seed: value.seed + 1 })}>
            <Shuffle aria-hidden className="size-4" />
            Shuffle
          </Button>
        </div>
      ) : (
        <Popover open={open} onOpenChange={setOpen}>
          <PopoverTrigger asChild>
            <Button type="button" variant="outline" role="combobox" aria-expanded={open} aria-label="Conversation to preview with" className="w-full min-w-0 justify-between font-normal">
              <span className={cn("truncate", !chosen && "text-muted-foreground")}>{chosen ? conversationLabel(chosen) : "Choose a conversation…"}</span>
              <ChevronsUpDown aria-hidden className="size-4 opacity-50" />
            </Button>
          </PopoverTrigger>
          <PopoverContent className="w-[min(36rem,90vw)] p-0" align="start">
            <Command shouldFilter={false}>
              <CommandInput placeholder="Search by id, persona, arc or topic…" value={search} onValueChange={setSearch} />
              <CommandList className="max-h-80">
                <CommandEmpty>{loading ? "Loading…" : "No conversation of this tier matches. Plan conversations on the Planning page, or use sample parameters."}</CommandEmpty>
                <CommandGroup>
                  {options.map((option) => (
                    <CommandItem
                      key={option.id}
                      value={option.id}
                      onSelect={() => {
                        setChosen(option);
                        onChange({ kind: "conversation", id: option.id });
                        setOpen(false);
                      }}
                    >
                      <Check aria-hidden className={cn("size-4", value.kind === "conversation" && value.id === option.id ? "opacity-100" : "opacity-0")} />
                      <div className="min-w-0">
                        <div className="truncate font-medium">
                          {option.conversationId} <span className="font-normal text-muted-foreground">· {STATUS_LABELS[option.status as keyof typeof STATUS_LABELS] ?? option.status}</span>
                        </div>
                        <div className="truncate text-xs text-muted-foreground">
                          {option.persona} · {option.arc} · {option.topic}
                        </div>
                      </div>
                    </CommandItem>
                  ))}
                </CommandGroup>
              </CommandList>
            </Command>
          </PopoverContent>
        </Popover>
      )}
    </fieldset>
  );
}

function conversationLabel(option: PreviewConversationOption): string {
  return `${option.conversationId} · ${option.persona} · ${option.arc} · ${option.topic}`;
}
