/**
 * Splitting a whole number of conversations by weights (largest remainder), and the arc
 * configuration's rules (US8.1.2): which percentages are valid, what a distribution gives for a
 * tier of N conversations, and the preview sentence. One home: the planner, the planning page's
 * live preview and the CLI all call these. Pure and safe for client code.
 */

/** A weight per key, in the order ties are broken (earlier wins). Weights ≥ 0; units are free (percent, counts…). */
export type Weights = ReadonlyArray<{ key: string; weight: number }>;

/**
 * Splits `total` whole items over `weights` in proportion, by largest remainder (Hamilton's
 * method): each key gets the floor of its exact share, then the items left go one each to the
 * largest fractional parts, ties to the earlier key. The counts always sum to `total`.
 * All-zero (or empty) weights give an even split over every key.
 * @returns count per key, every key present (0 allowed)
 * @throws RangeError when total is not a whole number ≥ 0 or a weight is negative or not finite
 */
export function allocateByLargestRemainder(total: number, weights: Weights): Record<string, number> {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number ≥ 0 (got ${total})`);
  if (weights.some((w) => !Number.isFinite(w.weight) || w.weight < 0)) throw new RangeError("weights must be finite and ≥ 0");
  const out: Record<string, number> = {};
  if (!weights.length) return out;
  const sum = weights.reduce((s, w) => s + w.weight, 0);
  const effective = sum > 0 ? weights : weights.map((w) => ({ key: w.key, weight: 1 }));
  const effectiveSum = sum > 0 ? sum : weights.length;
  const exact = effective.map((w, index) => ({ key: w.key, value: (total * w.weight) / effectiveSum, index }));
  for (const e of exact) out[e.key] = Math.floor(e.value);
  let remaining = total - exact.reduce((s, e) => s + Math.floor(e.value), 0);
  const byRemainder = [...exact].sort((a, b) => b.value - Math.floor(b.value) - (a.value - Math.floor(a.value)) || a.index - b.index);
  for (const e of byRemainder) {
    if (remaining <= 0) break;
    out[e.key] += 1;
    remaining -= 1;
  }
  return out;
}

/** An emotional arc as the arc configuration sees it. */
export interface ConfigurableArc {
  key: string;
  name: string;
  enabled: boolean;
}

/**
 * The percentage per enabled arc that the planner uses: the stored distribution's value for each
 * enabled arc (an enabled arc it does not name gets 0), or — with no distribution (null), or one
 * that gives the enabled arcs 0 % in total — an even split of 100 over the enabled arcs.
 * @returns percent per enabled arc key, in the arcs' order
 */
export function effectiveArcPercentages(arcs: ReadonlyArray<Pick<ConfigurableArc, "key" | "enabled">>, distribution: Record<string, number> | null | undefined): Record<string, number> {
  const enabled = arcs.filter((a) => a.enabled);
  const given = distribution ? enabled.map((a) => ({ key: a.key, weight: Math.max(0, distribution[a.key] ?? 0) })) : [];
  if (distribution && given.reduce((s, g) => s + g.weight, 0) > 0) return Object.fromEntries(given.map((g) => [g.key, g.weight]));
  return allocateByLargestRemainder(100, enabled.map((a) => ({ key: a.key, weight: 1 })));
}

/**
 * Conversations per enabled arc for a tier of `total`: the percentages (effectiveArcPercentages)
 * applied by largest remainder. What the planner's tier 1 follows and what the preview shows.
 */
export function arcCounts(total: number, arcs: ReadonlyArray<Pick<ConfigurableArc, "key" | "enabled">>, distribution: Record<string, number> | null | undefined): Record<string, number> {
  const percentages = effectiveArcPercentages(arcs, distribution);
  return allocateByLargestRemainder(
    total,
    arcs.filter((a) => a.enabled).map((a) => ({ key: a.key, weight: percentages[a.key] ?? 0 })),
  );
}

/**
 * The preview sentence: "40 conversations = 10 Triumph + 8 Struggle-to-Success + …", most first
 * (ties in the arcs' order), arcs with 0 conversations left out; "no enabled arc" when none is enabled.
 */
export function describeArcPreview(total: number, arcs: readonly ConfigurableArc[], distribution: Record<string, number> | null | undefined): string {
  const counts = arcCounts(total, arcs, distribution);
  const parts = arcs
    .map((a, index) => ({ a, index, n: counts[a.key] ?? 0 }))
    .filter(({ a, n }) => a.enabled && n > 0)
    .sort((x, y) => y.n - x.n || x.index - y.index)
    .map(({ a, n }) => `${n} ${a.name}`);
  const head = `${total} conversation${total === 1 ? "" : "s"}`;
  if (!arcs.some((a) => a.enabled)) return `${head}: no enabled arc`;
  return parts.length ? `${head} = ${parts.join(" + ")}` : `${head}`;
}

/**
 * What is wrong with an arc configuration, in plain English (empty when it can be saved): at
 * least one arc enabled; each enabled arc's percentage a whole number from 0 to 100; the enabled
 * arcs' percentages summing to exactly 100. Disabled arcs' percentages are ignored.
 * @param percentages percent per arc key (only enabled arcs are read)
 */
export function arcConfigurationProblems(arcs: readonly ConfigurableArc[], percentages: Record<string, number>): string[] {
  const enabled = arcs.filter((a) => a.enabled);
  if (!enabled.length) return ["Enable at least one emotional arc: every template conversation follows one."];
  const problems: string[] = [];
  for (const arc of enabled) {
    const value = percentages[arc.key];
    if (value === undefined || !Number.isInteger(value) || value < 0 || value > 100) problems.push(`${arc.name}: enter a whole percentage from 0 to 100.`);
  }
  if (problems.length) return problems;
  const sum = enabled.reduce((s, a) => s + percentages[a.key], 0);
  if (sum !== 100) problems.push(`The enabled arcs' percentages add up to ${sum} %; they must add up to 100 % (${sum < 100 ? `${100 - sum} % left to give` : `${sum - 100} % too many`}).`);
  return problems;
}
