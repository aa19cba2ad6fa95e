/**
 * The building blocks of the URL state parsers (conversation-table-params.ts, error-log-params.ts):
 * read one parameter from either kind of search params, split a comma list, keep the valid values
 * of a list or the parsed value of a single parameter, and record every value that was dropped as
 * an issue (param, offending value, plain-English reason) instead of throwing, so an old or
 * hand-edited link still loads. Client-safe: no server imports.
 */

/** URL search params as a `URLSearchParams` or Next.js's page `searchParams` record. */
export type SearchParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

/** One parameter value that could not be used and was replaced by its default. */
export interface SearchParamIssue {
  param: string;
  value: string;
  message: string;
}

/**
 * Reads one parameter; undefined when it is absent. With repeated params (`?tier=a&tier=b`, or an
 * array in a `searchParams` record) the values are joined by commas.
 */
export function readSearchParam(source: SearchParamSource, name: string): string | undefined {
  if (source instanceof URLSearchParams) {
    const all = source.getAll(name);
    return all.length ? all.join(",") : undefined;
  }
  const value = source[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(",") : value;
}

/** `" a, b,,c "` → `["a", "b", "c"]`: split on commas, trimmed, empty parts dropped. */
export function splitCommaList(raw: string): string[] {
  return raw
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/**
 * Reads a comma-list parameter: keeps the values `isValid` accepts, once each, in URL order, and
 * records an issue for every other value (`invalidMessage(value)`). With `limit`, values past
 * `limit.max` are dropped with one issue (`limit.message`, the whole raw list as the value).
 * @returns the kept values (possibly []), or undefined when the parameter is absent.
 */
export function parseListParam({
  source,
  param,
  issues,
  isValid,
  invalidMessage,
  limit,
}: {
  source: SearchParamSource;
  param: string;
  /** Issues are appended here. */
  issues: SearchParamIssue[];
  isValid: (value: string) => boolean;
  invalidMessage: (value: string) => string;
  limit?: { max: number; message: string };
}): string[] | undefined {
  const raw = readSearchParam(source, param);
  if (raw === undefined) return undefined;
  const values: string[] = [];
  for (const value of splitCommaList(raw)) {
    if (!isValid(value)) issues.push({ param, value, message: invalidMessage(value) });
    else if (!values.includes(value)) values.push(value);
  }
  if (limit && values.length > limit.max) {
    issues.push({ param, value: raw, message: limit.message });
    values.length = limit.max;
  }
  return values;
}

/**
 * Reads a single-value parameter and parses it with `parse` (undefined = not usable). An absent or
 * empty parameter gives undefined with no issue; an unusable one gives undefined and records an
 * issue (`message`, the raw value).
 * @param trim when true, surrounding white space is ignored (` 2 ` reads as `2`, `  ` as empty).
 */
export function parseSingleParam<T>({
  source,
  param,
  issues,
  parse,
  message,
  trim = false,
}: {
  source: SearchParamSource;
  param: string;
  /** Issues are appended here. */
  issues: SearchParamIssue[];
  parse: (value: string) => T | undefined;
  message: string;
  trim?: boolean;
}): T | undefined {
  const raw = readSearchParam(source, param);
  if (raw === undefined) return undefined;
  const value = trim ? raw.trim() : raw;
  if (value === "") return undefined;
  const parsed = parse(value);
  if (parsed === undefined) issues.push({ param, value: raw, message });
  return parsed;
}
