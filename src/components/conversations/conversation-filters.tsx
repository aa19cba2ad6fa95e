"use client";
/**
 * The table's filters (US3.1.1, US3.1.2): a multi-select per dimension (persona, emotion, topic,
 * intent, tone, outcome (when the workspace has outcomes), tier, status, source category, source document, and each string or flag dimension
 * of the source chunks, e.g. audience level) and a quality range, with counts; quick filters
 * (Needs Review, Failed, Approved, Seeds); the active filters as removable badges; Clear All; and
 * "Showing 23 of 100". AND across dimensions, OR within one. Every change writes the URL.
 */
import { Lock, X } from "lucide-react";
import { chunkDimensionItems, dimensionLabel, dimensionTextLabel, formatChunkDimensionItem } from "@/lib/chunk-dimensions";
import { TIER_LABELS, TIERS, STATUS_LABELS, CONVERSATION_STATUSES } from "@/lib/constants";
import type { ConversationFilter } from "@/lib/conversation-filter";
import { serializeConversationTableParams } from "@/lib/conversation-table-params";
import { QUALITY_RANGES, type FacetParam } from "@/lib/conversation-table-search-params";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTableFacetedFilter, type FacetOption } from "@/components/data-table/data-table-faceted-filter";
import { statusOption } from "./status-options";
import type { ConversationsDashboardData } from "./types";

/** URL param → ConversationFilter field, with its button title. */
const DIMENSIONS: Array<{ param: FacetParam; field: keyof ConversationFilter; facet: Exclude<keyof ConversationsDashboardData["facets"], "chunkDimension">; title: string }> = [
  { param: "persona", field: "persona", facet: "persona", title: "Persona" },
  { param: "emotion", field: "emotion", facet: "emotion", title: "Emotion" },
  { param: "topic", field: "topic", facet: "topic", title: "Topic" },
  { param: "intent", field: "intent", facet: "intent", title: "Intent" },
  { param: "tone", field: "tone", facet: "tone", title: "Tone" },
  { param: "outcome", field: "outcome", facet: "outcome", title: "Outcome" },
  { param: "tier", field: "tier", facet: "tier", title: "Tier" },
  { param: "status", field: "status", facet: "status", title: "Status" },
  { param: "source", field: "sourceCategory", facet: "sourceCategory", title: "Source" },
  { param: "document", field: "document", facet: "document", title: "Document" },
];

/**
 * Quick filters (US3.1.2): each sets the status filter to one status; Needs Review also keeps only
 * the conversations flagged by the tier rules (scoring below their tier's approval bar).
 */
const QUICK_FILTERS = [
  { label: "Needs Review", status: "generated", flagged: true, title: "Generated conversations scoring below their approval bar (Settings → Tier rules)" },
  { label: "Failed", status: "failed", flagged: false, title: undefined },
  { label: "Approved", status: "approved", flagged: false, title: undefined },
] as const;

/** `chunk`: the whole chunk-dimension list as `name:value` items (the URL's `chunk` param). */
export type FilterPatch = Partial<Record<FacetParam, string[]>> & { quality?: string; chunk?: string[]; flagged?: string; seed?: string };

/** The `quality` URL value for a filter's bounds ("8-10", "-5.9", "6-"), "" when unbounded. */
export function qualityParam(filter: ConversationFilter): string {
  return serializeConversationTableParams({ filter: { minQuality: filter.minQuality, maxQuality: filter.maxQuality } }).get("quality") ?? "";
}

function optionsFor(param: FacetParam, data: ConversationsDashboardData): FacetOption[] {
  const { options } = data;
  switch (param) {
    case "persona":
      return options.personas.map((o) => ({ value: o.key, label: o.name }));
    case "emotion":
      return options.emotions.map((o) => ({ value: o.key, label: o.name }));
    case "topic":
      return options.topics.map((o) => ({ value: o.key, label: o.name }));
    case "intent":
      return options.intents.map((o) => ({ value: o.key, label: o.name }));
    case "tone":
      return options.tones.map((o) => ({ value: o.key, label: o.name }));
    case "outcome":
      return options.outcomes.map((o) => ({ value: o.key, label: o.name }));
    case "tier":
      return TIERS.map((t) => ({ value: t, label: TIER_LABELS[t] }));
    case "status":
      return CONVERSATION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s], icon: statusOption(s).icon }));
    case "source":
      return options.sourceCategories.map((c) => ({ value: c, label: c }));
    case "document":
      return options.documents.map((d) => ({ value: d.key, label: d.title }));
  }
}

export function ConversationFilters({
  data,
  filter,
  search,
  onChange,
  onClearAll,
  part,
}: {
  /** "buttons": the filter buttons (they sit beside the search box); "summary": quick filters, count, active-filter badges. */
  part: "buttons" | "summary";
  data: ConversationsDashboardData;
  filter: ConversationFilter;
  search: string;
  onChange: (patch: FilterPatch) => void;
  onClearAll: () => void;
}) {
  const badges: Array<{ key: string; label: string; remove: () => void }> = [];
  const facetButtons = DIMENSIONS.map(({ param, field, facet, title }) => {
    const selected = ((filter[field] as string[] | undefined) ?? []).slice();
    // A workspace without outcomes gets no Outcome button (unless a bookmark names one).
    if (param === "outcome" && data.options.outcomes.length === 0 && selected.length === 0) return null;
    const counts = data.facets[facet] ?? {};
    const options = optionsFor(param, data).map((o) => ({ ...o, count: counts[o.value] ?? 0 }));
    for (const value of selected) {
      const label = options.find((o) => o.value === value)?.label ?? value;
      badges.push({ key: `${param}:${value}`, label: `${title}: ${label}`, remove: () => onChange({ [param]: selected.filter((v) => v !== value) }) });
    }
    return <DataTableFacetedFilter key={param} title={title} options={options} selected={selected} onChange={(values) => onChange({ [param]: values })} />;
  });
  // One multi-select per chunk dimension the chunks have (string or flag values), plus any the URL names that no chunk has.
  const chunkFilter = filter.chunkDimension ?? {};
  const chunkDimensions = [...data.options.chunkDimensions];
  for (const name of Object.keys(chunkFilter)) {
    if (!chunkDimensions.some((d) => d.name === name) && chunkFilter[name].length) chunkDimensions.push({ name, values: [] });
  }
  const setChunkValues = (name: string, values: string[]) => onChange({ chunk: chunkDimensionItems({ ...chunkFilter, [name]: values }) });
  const chunkButtons = chunkDimensions.map(({ name, values }) => {
    const selected = chunkFilter[name] ?? [];
    const counts = data.facets.chunkDimension[name] ?? {};
    const title = dimensionLabel(name);
    const options: FacetOption[] = [...values, ...selected.filter((v) => !values.includes(v))].map((value) => ({
      value,
      label: dimensionTextLabel(name, value),
      count: counts[value] ?? 0,
    }));
    for (const value of selected) {
      badges.push({
        key: `chunk:${formatChunkDimensionItem(name, value)}`,
        label: `Chunk ${title.toLowerCase()}: ${dimensionTextLabel(name, value)}`,
        remove: () => setChunkValues(name, selected.filter((v) => v !== value)),
      });
    }
    return (
      <DataTableFacetedFilter
        key={`chunk:${name}`}
        title={title}
        description={`Dimension of the source chunk: ${title.toLowerCase()}`}
        options={options}
        selected={selected}
        onChange={(next) => setChunkValues(name, next)}
      />
    );
  });
  const quality = qualityParam(filter);
  const qualityCounts = data.facets.quality ?? {};
  const qualityOptions: FacetOption[] = QUALITY_RANGES.map((r) => ({ value: r.value, label: r.label, count: qualityCounts[r.band] ?? 0 }));
  if (quality) {
    const label = QUALITY_RANGES.find((r) => r.value === quality)?.label ?? quality.replace("-", "–");
    badges.push({ key: "quality", label: `Quality: ${label}`, remove: () => onChange({ quality: "" }) });
  }

  if (filter.belowBar) {
    badges.push({ key: "flagged", label: "Below the approval bar", remove: () => onChange({ flagged: "" }) });
  }
  if (filter.isSeed !== undefined) {
    badges.push({ key: "seed", label: filter.isSeed ? "Seeds only" : "No seeds", remove: () => onChange({ seed: "" }) });
  }

  const status = filter.status ?? [];
  const filtered = data.page.total;
  if (part === "buttons") {
    return (
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Filters">
        {facetButtons}
        <DataTableFacetedFilter title="Quality" options={qualityOptions} selected={quality ? [quality] : []} onChange={(values) => onChange({ quality: values[0] ?? "" })} single />
        {chunkButtons.length > 0 && (
          <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Source chunk dimensions">
            <span className="text-xs text-muted-foreground">Chunk:</span>
            {chunkButtons}
          </div>
        )}
      </div>
    );
  }
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-muted-foreground">Quick filters:</span>
        {QUICK_FILTERS.map((q) => {
          const active = status.length === 1 && status[0] === q.status && (filter.belowBar ?? false) === q.flagged;
          return (
            <Button
              key={q.label}
              size="sm"
              variant={active ? "default" : "outline"}
              className="h-7"
              aria-pressed={active}
              title={q.title}
              onClick={() => onChange({ status: active ? [] : [q.status], flagged: !active && q.flagged ? "1" : "" })}
            >
              {q.label}
            </Button>
          );
        })}
        <Button
          size="sm"
          variant={filter.isSeed === true ? "default" : "outline"}
          className="h-7"
          aria-pressed={filter.isSeed === true}
          title="Hand-written seed conversations: locked quality benchmarks"
          onClick={() => onChange({ seed: filter.isSeed === true ? "" : "yes" })}
        >
          <Lock aria-hidden className="size-3.5" />
          Seeds
        </Button>
        <span className="ml-auto tabular-nums text-muted-foreground" aria-live="polite">
          Showing {filtered.toLocaleString("en-US")} of {data.allTotal.toLocaleString("en-US")}
        </span>
      </div>
      {(badges.length > 0 || search) && (
        <div className="flex flex-wrap items-center gap-1.5" aria-label="Active filters">
          {badges.map((badge) => (
              <Badge key={badge.key} variant="secondary" className="gap-1 pr-1 font-normal">
                {badge.label}
                <button
                  type="button"
                  onClick={badge.remove}
                  className="rounded-sm p-0.5 hover:bg-muted-foreground/20 focus-visible:ring-ring/50 focus-visible:outline-none focus-visible:ring-[3px]"
                  aria-label={`Remove filter ${badge.label}`}
                >
                  <X aria-hidden className="size-3" />
                </button>
              </Badge>
            ))}
          <Button variant="ghost" size="sm" className="h-7" onClick={onClearAll}>
            Clear All
          </Button>
        </div>
      )}
    </div>
  );
}
