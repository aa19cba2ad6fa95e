/**
 * The template analytics page's filter (issue 11 item 6), shared by the page, its CSV route and the
 * comparison picker: tier, period, and the two template versions compared side by side. Parsed from
 * URL search params with zod, so a bookmarked view opens the same; safe for client code.
 */
import { z } from "zod";
import { TIERS, type Tier } from "./constants";

/** Periods the analytics can be limited to (days back from now), "all" for no limit. */
export const ANALYTICS_PERIODS = ["30", "90", "365", "all"] as const;
export type AnalyticsPeriod = (typeof ANALYTICS_PERIODS)[number];
export const ANALYTICS_PERIOD_LABELS: Record<AnalyticsPeriod, string> = { "30": "Last 30 days", "90": "Last 90 days", "365": "Last 12 months", all: "All time" };

/** A template version picked for comparison: `<template uuid>:<version>`. */
const versionRef = z.string().regex(/^[0-9a-f-]{36}:\d+$/i);

const schema = z.object({
  tier: z.enum(TIERS).optional().catch(undefined),
  period: z.enum(ANALYTICS_PERIODS).catch("all"),
  a: versionRef.optional().catch(undefined),
  b: versionRef.optional().catch(undefined),
});

export interface TemplateAnalyticsFilter {
  /** Only templates of this tier; undefined = every tier. */
  tier?: Tier;
  period: AnalyticsPeriod;
  /** The two versions compared side by side ("<template id>:<version>"). */
  a?: string;
  b?: string;
}

/** Parses the page's search params; unknown or malformed values fall back to the defaults (every tier, all time). */
export function parseTemplateAnalyticsFilter(params: Record<string, string | string[] | undefined> | URLSearchParams): TemplateAnalyticsFilter {
  const get = (name: string) => {
    const value = params instanceof URLSearchParams ? params.get(name) : params[name];
    return Array.isArray(value) ? value[0] : (value ?? undefined);
  };
  const parsed = schema.parse({ tier: get("tier"), period: get("period") ?? "all", a: get("a"), b: get("b") });
  return { tier: parsed.tier, period: parsed.period, a: parsed.a, b: parsed.b };
}

/** The filter as a query string (without "?"), defaults left out. */
export function templateAnalyticsQuery(filter: TemplateAnalyticsFilter): string {
  const q = new URLSearchParams();
  if (filter.tier) q.set("tier", filter.tier);
  if (filter.period !== "all") q.set("period", filter.period);
  if (filter.a) q.set("a", filter.a);
  if (filter.b) q.set("b", filter.b);
  return q.toString();
}

/** Days back of a period; null for all time. */
export function periodDays(period: AnalyticsPeriod): number | null {
  return period === "all" ? null : Number(period);
}
