"use client";
/**
 * A multi-select filter for one dimension (US3.1.1): a button that opens a searchable list of the
 * dimension's values with their counts (server-side facets), ticking several means OR within the
 * dimension. Options are plain data shared with the cell renderers.
 */
import type { ComponentType } from "react";
import { Check, PlusCircle } from "lucide-react";
import { cn } from "@/lib/utils";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList, CommandSeparator } from "@/components/ui/command";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { Separator } from "@/components/ui/separator";

export interface FacetOption {
  value: string;
  label: string;
  icon?: ComponentType<{ className?: string }>;
  /** Conversations with this value under the other active filters; undefined = not counted. */
  count?: number;
}

/**
 * @param selected the ticked values; `onChange` receives the new list ([] clears).
 * @param single when true, ticking a value replaces the previous one (the Quality range).
 * @param description the button's tooltip and accessible description when the title alone is ambiguous.
 */
export function DataTableFacetedFilter({
  title,
  options,
  selected,
  onChange,
  single = false,
  description,
}: {
  title: string;
  options: FacetOption[];
  selected: string[];
  onChange: (values: string[]) => void;
  single?: boolean;
  description?: string;
}) {
  const chosen = new Set(selected);
  const toggle = (value: string) => {
    if (single) {
      onChange(chosen.has(value) ? [] : [value]);
      return;
    }
    const next = new Set(chosen);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    onChange(options.map((o) => o.value).filter((v) => next.has(v)));
  };
  return (
    <Popover>
      <PopoverTrigger asChild>
        <Button variant="outline" size="sm" className="h-8 border-dashed" title={description}>
          <PlusCircle aria-hidden className="size-4" />
          {title}
          {chosen.size > 0 && (
            <>
              <Separator orientation="vertical" className="mx-1 h-4" />
              <Badge variant="secondary" className="rounded-sm px-1 font-normal" aria-label={`${chosen.size} selected`}>
                {chosen.size}
              </Badge>
            </>
          )}
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-64 p-0" align="start">
        <Command>
          <CommandInput placeholder={title} aria-label={`Search ${title.toLowerCase()} values`} />
          <CommandList>
            <CommandEmpty>No values match.</CommandEmpty>
            <CommandGroup>
              {options.map((option) => {
                const isSelected = chosen.has(option.value);
                const Icon = option.icon;
                return (
                  <CommandItem key={option.value} value={`${option.label} ${option.value}`} onSelect={() => toggle(option.value)} aria-selected={isSelected} data-checked={isSelected}>
                    <div
                      aria-hidden
                      className={cn(
                        "flex size-4 items-center justify-center rounded-[4px] border border-primary",
                        isSelected ? "bg-primary text-primary-foreground" : "opacity-50 [&_svg]:invisible",
                      )}
                    >
                      <Check className="size-3.5 text-primary-foreground" />
                    </div>
                    {Icon && <Icon className="size-4 text-muted-foreground" />}
                    <span className="truncate">{option.label}</span>
                    {option.count !== undefined && <span className="ml-auto font-mono text-xs tabular-nums text-muted-foreground">{option.count}</span>}
                  </CommandItem>
                );
              })}
            </CommandGroup>
            {chosen.size > 0 && (
              <>
                <CommandSeparator />
                <CommandGroup>
                  <CommandItem onSelect={() => onChange([])} className="justify-center text-center">
                    Clear {title.toLowerCase()} filter
                  </CommandItem>
                </CommandGroup>
              </>
            )}
          </CommandList>
        </Command>
      </PopoverContent>
    </Popover>
  );
}
