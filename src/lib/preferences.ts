/**
 * A user's preferences (US14.1.1), the one home of their shape, defaults and rules. Stored per
 * user in `user_preferences.preferences` (jsonb, keyed by the guard's user id); read and written by
 * src/server/preferences.ts, edited on /preferences, applied by the conversations page (rows per
 * page, default filters, density), the toasts (duration), next-themes (theme) and the keyboard
 * (src/lib/keyboard-shortcuts.ts). Client-safe: plain zod, no server imports.
 *
 * Stored keys (docs/preferences.md lists them for the e-mail sender):
 * | key | values | default |
 * |---|---|---|
 * | `rowsPerPage` | 25, 50, 100 | 25 |
 * | `defaultFilters.status` | conversation statuses | [] (all) |
 * | `defaultFilters.tier` | `template`, `scenario`, `edge_case` | [] (all) |
 * | `toastSeconds` | 2–60 | 5 (US11.2.1: "auto-dismiss after 5 seconds") |
 * | `density` | `comfortable`, `compact` | `comfortable` |
 * | `theme` | `light`, `dark`, `system` | `system` |
 * | `email.runFinished` | boolean: e-mail when a generation run finishes | true |
 * | `email.runFailed` | boolean: e-mail when a run fails or pauses on its spending limit | true |
 * | `email.dailySummary` | boolean: a daily summary e-mail | false |
 * | `shortcuts` | shortcut id → `{ key, mod? }` (only the remapped ones) | {} |
 */
import { z } from "zod";
import { CONVERSATION_STATUSES, TIERS } from "./constants";
import { DEFAULT_PER_PAGE, PER_PAGE_OPTIONS, TABLE_FILTER_PARAM_NAMES } from "./conversation-table-params";
import { REMAPPABLE_SHORTCUT_IDS, shortcutConflict } from "./keyboard-shortcuts";

export const THEME_CHOICES = ["light", "dark", "system"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

export const DENSITY_CHOICES = ["comfortable", "compact"] as const;
export type Density = (typeof DENSITY_CHOICES)[number];

/** Toast duration bounds, seconds: long enough to read a short message, short enough to go away on its own. */
export const TOAST_SECONDS_MIN = 2;
export const TOAST_SECONDS_MAX = 60;
/** US11.2.1: "Toast auto-dismiss after 5 seconds (user configurable)". */
export const DEFAULT_TOAST_SECONDS = 5;

/** The e-mails a user can ask for (sent by the e-mail feature when SMTP is set up). */
export const EMAIL_NOTIFICATION_KEYS = ["runFinished", "runFailed", "dailySummary"] as const;
export type EmailNotificationKey = (typeof EMAIL_NOTIFICATION_KEYS)[number];
export const EMAIL_NOTIFICATION_LABELS: Record<EmailNotificationKey, string> = {
  runFinished: "When a generation run finishes",
  runFailed: "When a run fails or stops at its spending limit",
  dailySummary: "A daily summary of the workspaces",
};

const keyComboSchema = z.strictObject({
  key: z
    .string()
    .min(1, "Choose a key for the shortcut.")
    .max(20, "A shortcut is one key, such as A, 7 or ArrowDown."),
  mod: z.boolean().optional(),
});

const shortcutsSchema = z
  .record(z.string(), keyComboSchema)
  .superRefine((value, ctx) => {
    for (const id of Object.keys(value)) {
      if (!REMAPPABLE_SHORTCUT_IDS.includes(id as (typeof REMAPPABLE_SHORTCUT_IDS)[number])) {
        ctx.addIssue({ code: "custom", message: `"${id}" is not a keyboard shortcut that can be changed. Reset the shortcuts to their defaults.` });
        return;
      }
    }
    const conflict = shortcutConflict(value);
    if (conflict) ctx.addIssue({ code: "custom", message: conflict });
  });

/** The full preferences object as stored and used. */
export const preferencesSchema = z.strictObject({
  rowsPerPage: z.union(PER_PAGE_OPTIONS.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>], {
    error: `Rows per page must be one of ${PER_PAGE_OPTIONS.join(", ")}.`,
  }),
  defaultFilters: z.strictObject({
    status: z.array(z.enum(CONVERSATION_STATUSES, { error: `A default status filter must be one of ${CONVERSATION_STATUSES.join(", ")}.` })).max(CONVERSATION_STATUSES.length),
    tier: z.array(z.enum(TIERS, { error: `A default tier filter must be one of ${TIERS.join(", ")}.` })).max(TIERS.length),
  }),
  toastSeconds: z
    .number({ error: "Toast duration must be a number of seconds." })
    .int(`Toast duration is a whole number of seconds, from ${TOAST_SECONDS_MIN} to ${TOAST_SECONDS_MAX}.`)
    .min(TOAST_SECONDS_MIN, `Toasts stay at least ${TOAST_SECONDS_MIN} seconds, so they can be read.`)
    .max(TOAST_SECONDS_MAX, `Toasts stay at most ${TOAST_SECONDS_MAX} seconds; close one sooner with its × button.`),
  density: z.enum(DENSITY_CHOICES, { error: `Density must be ${DENSITY_CHOICES.join(" or ")}.` }),
  theme: z.enum(THEME_CHOICES, { error: `Theme must be ${THEME_CHOICES.join(", ")}.` }),
  email: z.strictObject({
    runFinished: z.boolean(),
    runFailed: z.boolean(),
    dailySummary: z.boolean(),
  }),
  shortcuts: shortcutsSchema,
});

export type Preferences = z.infer<typeof preferencesSchema>;

/** Everyone starts here; "Reset to defaults" comes back here. */
export const DEFAULT_PREFERENCES: Preferences = {
  rowsPerPage: DEFAULT_PER_PAGE,
  defaultFilters: { status: [], tier: [] },
  toastSeconds: DEFAULT_TOAST_SECONDS,
  density: "comfortable",
  theme: "system",
  email: { runFinished: true, runFailed: true, dailySummary: false },
  shortcuts: {},
};

/**
 * Validates a complete preferences object from the preferences page.
 * @throws ZodError with a plain-English message naming what to change (server actions turn it into "invalid_input")
 */
export function parsePreferences(input: unknown): Preferences {
  return preferencesSchema.parse(input);
}

/**
 * Reads stored preferences leniently: each field that is missing or no longer valid (an older
 * version, a hand edit) takes its default, so a stored value never breaks a page. Never throws.
 */
export function preferencesFromStored(stored: unknown): Preferences {
  const source = stored && typeof stored === "object" && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_PREFERENCES) as Array<keyof Preferences>) {
    const field = preferencesSchema.shape[key];
    const parsed = field.safeParse(source[key]);
    result[key] = parsed.success ? parsed.data : DEFAULT_PREFERENCES[key];
  }
  return result as Preferences;
}


/**
 * The conversations table's URL parameter that turns the user's default filters off for this view
 * (`defaults=off`): set when the user changes or clears the filters, so clearing them shows every
 * conversation instead of bringing the defaults back.
 */
export const DEFAULT_FILTERS_OFF_PARAM = "defaults";

/**
 * The conversations page's query with the user's default filters added, when the URL names no
 * filter or search of its own and does not say `defaults=off`; null when the URL is to be used as
 * it is (the page redirects to the returned query, so the filters show in the URL and the filter
 * buttons like any other).
 * @param params the page's search params (Next.js's record)
 */
export function queryWithDefaultFilters(params: Record<string, string | string[] | undefined>, preferences: Preferences): URLSearchParams | null {
  const { status, tier } = preferences.defaultFilters;
  if (status.length === 0 && tier.length === 0) return null;
  if (params[DEFAULT_FILTERS_OFF_PARAM] !== undefined) return null;
  if (TABLE_FILTER_PARAM_NAMES.some((param) => params[param] !== undefined)) return null;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const item of value === undefined ? [] : [value].flat()) query.append(key, item);
  if (status.length) query.set("status", status.join(","));
  if (tier.length) query.set("tier", tier.join(","));
  return query;
}

/**
 * The page size to use: the URL's `perPage` when it has one, otherwise the user's rows per page.
 * Returns the params to parse (a copy when changed).
 */
export function paramsWithRowsPerPage(params: Record<string, string | string[] | undefined>, preferences: Preferences): Record<string, string | string[] | undefined> {
  return params.perPage === undefined ? { ...params, perPage: String(preferences.rowsPerPage) } : params;
}
