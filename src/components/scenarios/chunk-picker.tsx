"use client";
/**
 * Picks one of the workspace's chunks: a button opening a searchable list (document title, heading,
 * first words; type to filter by any of them), and below it the chosen chunk's text, so the user
 * sees what the scenario draws on (US8.2.1 "Link to source chunk for each scenario").
 */
import { useState } from "react";
import { Check, ChevronsUpDown, FileText, X } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from "@/components/ui/command";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { cn } from "@/lib/utils";
import type { ChunkOption } from "@/server/scenario-library";

/** "Document › Section" for a chunk. */
export function chunkLabel(chunk: Pick<ChunkOption, "documentTitle" | "heading" | "key">): string {
  return `${chunk.documentTitle} › ${chunk.heading?.split(" > ").pop() || chunk.key}`;
}

export function ChunkPicker({
  chunks,
  value,
  onChange,
  id,
  allowNone = true,
}: {
  chunks: ChunkOption[];
  /** The chosen chunk's id, or null. */
  value: string | null;
  onChange: (id: string | null) => void;
  /** The trigger's id, for a <label htmlFor>. */
  id?: string;
  /** Whether "no source chunk" may be chosen (a scenario written by hand). */
  allowNone?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const chosen = chunks.find((c) => c.id === value) ?? null;
  const byDocument = new Map<string, ChunkOption[]>();
  for (const chunk of chunks) byDocument.set(chunk.documentTitle, [...(byDocument.get(chunk.documentTitle) ?? []), chunk]);
  return (
    <div className="min-w-0 space-y-2">
      <div className="flex min-w-0 items-center gap-2">
        <Popover open={open} onOpenChange={setOpen}>
          <PopoverTrigger asChild>
            <Button id={id} type="button" variant="outline" role="combobox" aria-expanded={open} className="min-w-0 flex-1 justify-between font-normal">
              <span className={cn("truncate", !chosen && "text-muted-foreground")}>{chosen ? chunkLabel(chosen) : chunks.length ? "Choose a chunk…" : "No chunks: upload documents first"}</span>
              <ChevronsUpDown aria-hidden className="size-4 opacity-50" />
            </Button>
          </PopoverTrigger>
          <PopoverContent className="w-[min(36rem,90vw)] p-0" align="start">
            <Command>
              <CommandInput placeholder="Search chunks by document, heading or text…" />
              <CommandList className="max-h-80">
                <CommandEmpty>No chunk matches.</CommandEmpty>
                {[...byDocument].map(([document, list]) => (
                  <CommandGroup key={document} heading={document}>
                    {list.map((chunk) => (
                      <CommandItem
                        key={chunk.id}
                        value={`${chunk.documentTitle} ${chunk.heading ?? ""} ${chunk.key} ${chunk.content.slice(0, 300)}`}
                        onSelect={() => {
                          onChange(chunk.id);
                          setOpen(false);
                        }}
                      >
                        <Check aria-hidden className={cn("size-4", chunk.id === value ? "opacity-100" : "opacity-0")} />
                        <div className="min-w-0">
                          <div className="truncate font-medium">{chunk.heading?.split(" > ").pop() || chunk.key}</div>
                          <div className="truncate text-xs text-muted-foreground">{chunk.content.replace(/\s+/g, " ").slice(0, 120)}</div>
                        </div>
                      </CommandItem>
                    ))}
                  </CommandGroup>
                ))}
              </CommandList>
            </Command>
          </PopoverContent>
        </Popover>
        {allowNone && chosen && (
          <Button type="button" variant="ghost" size="icon" onClick={() => onChange(null)} aria-label="Remove the source chunk">
            <X aria-hidden className="size-4" />
          </Button>
        )}
      </div>
      {chosen && (
        <figure className="rounded-md border bg-muted/40 p-3 text-sm" aria-label="Source chunk text">
          <figcaption className="mb-1 flex items-center gap-1.5 text-xs font-medium text-muted-foreground">
            <FileText aria-hidden className="size-3.5" />
            {chunkLabel(chosen)} · {chosen.category}
          </figcaption>
          <p className="max-h-40 overflow-y-auto whitespace-pre-wrap">{chosen.content}</p>
        </figure>
      )}
    </div>
  );
}
