/** How a "Test Template" result compares with the active version (issue 11 item 5). Safe for client code. */

/** The compared version's recent average quality (1–10) over its last `count` generated conversations. */
export interface TemplateTestComparison {
  templateId: string;
  templateName: string;
  version: number;
  /** True when the averaged conversations are the simulated composer's (a simulated test), false for a language model's. */
  simulated: boolean;
  /** Conversations averaged (at most COMPARISON_SAMPLE); 0 when it has generated none. */
  count: number;
  averageQuality: number | null;
}

/**
 * The comparison line: "quality 8.6 vs 7.9 for v3 over the last 12 generated conversations", or
 * "no generated conversations yet for v3". `quality` is this test's score (null when not scored).
 */
export function comparisonLine(quality: number | null, comparison: TemplateTestComparison | null): string {
  if (!comparison) return "There is no active template of this tier to compare with.";
  const which = `v${comparison.version} of "${comparison.templateName}"`;
  const kind = comparison.simulated ? "simulated" : "language-model";
  if (comparison.count === 0 || comparison.averageQuality === null) return `No ${kind} conversations generated yet for ${which}, so there is nothing to compare with.`;
  const plural = `${kind} ${comparison.count === 1 ? "conversation" : "conversations"}`;
  if (quality === null) return `This reply could not be scored; ${which} averages ${comparison.averageQuality.toFixed(1)} over its last ${comparison.count} generated ${plural}.`;
  const mine = quality.toFixed(1);
  return `Quality ${mine} vs ${comparison.averageQuality.toFixed(1)} for ${which} over the last ${comparison.count} generated ${plural}.`;
}
