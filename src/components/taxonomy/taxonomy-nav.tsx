import Link from "next/link";
import { cn } from "@/lib/utils";
import { TAXONOMY_KIND_INFO, TAXONOMY_KINDS, type TaxonomyKind } from "@/lib/taxonomy-kinds";
import { workspacePaths } from "@/lib/workspace-paths";

/** The tabs between the taxonomy's kinds: links (each kind is its own bookmarkable page), the current one marked aria-current="page". */
export function TaxonomyNav({ slug, current }: { slug: string; current: TaxonomyKind }) {
  return (
    <nav aria-label="Taxonomy" className="flex flex-wrap gap-1 border-b">
      {TAXONOMY_KINDS.map((kind) => {
        const info = TAXONOMY_KIND_INFO[kind];
        const active = kind === current;
        return (
          <Link
            key={kind}
            href={workspacePaths(slug).taxonomy(info.segment)}
            aria-current={active ? "page" : undefined}
            className={cn(
              "-mb-px rounded-t-md border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50",
              active ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            {info.label}
          </Link>
        );
      })}
    </nav>
  );
}
