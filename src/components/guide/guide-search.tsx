"use client";

import { useMemo, useState } from "react";
import Link from "next/link";
import MiniSearch from "minisearch";
import { SearchIcon } from "lucide-react";
import { Input } from "@/components/ui/input";
import type { GuideSearchEntry } from "@/lib/guide";

/** Most results listed. */
const MAX_RESULTS = 8;

/** A passage's words around the first hit, for the result line. */
function snippet(text: string, terms: readonly string[]): string {
  const lower = text.toLowerCase();
  const at = terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, at - 60);
  return `${start > 0 ? "…" : ""}${text.slice(start, start + 180).trim()}${start + 180 < text.length ? "…" : ""}`;
}

/**
 * The guide's search box: full-text search (MiniSearch: prefix and fuzzy matching, headings
 * weighted ×3) over every section's passages, results linking to the passage's heading.
 */
export function GuideSearch({ entries }: { entries: GuideSearchEntry[] }) {
  const [query, setQuery] = useState("");
  const index = useMemo(() => {
    const search = new MiniSearch<GuideSearchEntry>({
      fields: ["heading", "text", "sectionTitle"],
      storeFields: ["slug", "anchor", "heading", "sectionTitle", "text"],
      searchOptions: { boost: { heading: 3, sectionTitle: 1.5 }, prefix: true, fuzzy: 0.2 },
    });
    search.addAll(entries);
    return search;
  }, [entries]);
  const results = query.trim().length >= 2 ? index.search(query).slice(0, MAX_RESULTS) : [];

  return (
    <search className="space-y-2 print:hidden" aria-label="Search the guide">
      <div className="relative">
        <SearchIcon className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden="true" />
        <Input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search the guide…" aria-label="Search the guide" className="pl-8" />
      </div>
      {query.trim().length >= 2 &&
        (results.length === 0 ? (
          <p className="text-sm text-muted-foreground" role="status">
            Nothing in the guide matches “{query.trim()}”. Try another word, or look through Troubleshooting and the FAQ.
          </p>
        ) : (
          <ol aria-label="Search results" className="divide-y rounded-md border">
            {results.map((r) => {
              const href = `/guide/${r.slug as string}${r.anchor ? `#${r.anchor as string}` : ""}`;
              return (
                <li key={r.id as string} className="px-3 py-2 text-sm">
                  <Link href={href} className="font-medium text-primary underline-offset-4 hover:underline">
                    {r.heading as string}
                  </Link>
                  <span className="text-muted-foreground"> · {r.sectionTitle as string}</span>
                  <p className="mt-0.5 text-muted-foreground">{snippet(r.text as string, r.terms)}</p>
                </li>
              );
            })}
          </ol>
        ))}
    </search>
  );
}
