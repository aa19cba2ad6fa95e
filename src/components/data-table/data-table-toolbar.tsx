"use client";
/**
 * The row above a data table: the search box (debounced, US6.1.1 "search bar above table"),
 * the filter controls passed as children, and the Columns menu.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { Table } from "@tanstack/react-table";
import { Search, X } from "lucide-react";
import { Input } from "@/components/ui/input";
import { DataTableViewOptions } from "./data-table-view-options";

/** Milliseconds of no typing before the search is applied. */
const SEARCH_DEBOUNCE_MS = 300;

export function DataTableToolbar<TData>({
  table,
  search,
  onSearchChange,
  searchLabel,
  children,
}: {
  table: Table<TData>;
  search: string;
  onSearchChange: (value: string) => void;
  searchLabel: string;
  children?: ReactNode;
}) {
  const [text, setText] = useState(search);
  const applied = useRef(search);
  // Follow the URL when it changes from elsewhere (Clear All, back button).
  useEffect(() => {
    if (search !== applied.current) {
      applied.current = search;
      setText(search);
    }
  }, [search]);
  useEffect(() => {
    if (text.trim() === applied.current.trim()) return;
    const timer = setTimeout(() => {
      applied.current = text.trim();
      onSearchChange(text.trim());
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, onSearchChange]);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div className="relative w-full sm:w-60">
        <Search aria-hidden className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
        <Input
          type="search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder={`${searchLabel}…`}
          aria-label={searchLabel}
          className="h-8 pr-8 pl-8"
          maxLength={200}
        />
        {text && (
          <button
            type="button"
            onClick={() => setText("")}
            className="absolute top-1/2 right-1.5 -translate-y-1/2 rounded-sm p-0.5 text-muted-foreground hover:text-foreground focus-visible:ring-ring/50 focus-visible:outline-none focus-visible:ring-[3px]"
            aria-label="Clear search"
          >
            <X aria-hidden className="size-4" />
          </button>
        )}
      </div>
      {children}
      <div className="ml-auto">
        <DataTableViewOptions table={table} />
      </div>
    </div>
  );
}
