"use client";
/**
 * The preferences form (/preferences, US14.1.1): the conversations table (rows per page, density,
 * default filters), toasts (seconds), theme, e-mail notifications and keyboard shortcuts (press
 * the new key; a key another shortcut uses is refused with a plain message). Save stores them
 * all on the server (which checks them again) and applies them at once; Reset to defaults forgets
 * them.
 */
import { useId, useState, useSyncExternalStore } from "react";
import { Keyboard, RotateCcw, Save } from "lucide-react";
import { toast } from "sonner";
import { CONVERSATION_STATUSES, STATUS_LABELS, TIER_LABELS, TIERS, type ConversationStatus, type Tier } from "@/lib/constants";
import { PER_PAGE_OPTIONS } from "@/lib/conversation-table-params";
import { comboKeys, KEYBOARD_SHORTCUTS, shortcutConflict, type KeyCombo, type ModifierLabel, type ShortcutId } from "@/lib/keyboard-shortcuts";
import {
  DEFAULT_PREFERENCES,
  DENSITY_CHOICES,
  EMAIL_NOTIFICATION_KEYS,
  EMAIL_NOTIFICATION_LABELS,
  THEME_CHOICES,
  TOAST_SECONDS_MAX,
  TOAST_SECONDS_MIN,
  type Density,
  type Preferences,
  type ThemeChoice,
} from "@/lib/preferences";
import { resetPreferencesAction } from "@/server/actions/preferences";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { savePreferences, showPreferences } from "./use-preferences";

const DENSITY_LABELS: Record<Density, string> = { comfortable: "Comfortable", compact: "Compact" };
const THEME_LABELS: Record<ThemeChoice, string> = { light: "Light", dark: "Dark", system: "Same as the system" };

const subscribeNothing = () => () => undefined;
function useModifierLabel(): ModifierLabel {
  return useSyncExternalStore(
    subscribeNothing,
    () => (/Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? "⌘" : "Ctrl"),
    () => "Ctrl",
  );
}

function Section({ title, description, id, children }: { title: string; description?: string; id?: string; children: React.ReactNode }) {
  const headingId = useId();
  return (
    <section id={id} aria-labelledby={headingId} className="space-y-4 rounded-lg border bg-card p-5">
      <div>
        <h2 id={headingId} className="text-base font-semibold">
          {title}
        </h2>
        {description && <p className="text-sm text-muted-foreground">{description}</p>}
      </div>
      {children}
    </section>
  );
}

/** A choice among a few values, as a Select with a visible label. */
function Choice<T extends string>({ label, value, options, labels, onChange }: { label: string; value: T; options: readonly T[]; labels: Record<T, string>; onChange: (value: T) => void }) {
  const id = useId();
  return (
    <div className="flex items-center justify-between gap-4">
      <Label htmlFor={id}>{label}</Label>
      <Select value={value} onValueChange={(v) => onChange(v as T)}>
        <SelectTrigger id={id} className="w-48" aria-label={label}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {options.map((option) => (
            <SelectItem key={option} value={option}>
              {labels[option]}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

/** Ticks for a list of values (default filters). */
function Ticks<T extends string>({ legend, values, chosen, labels, onChange }: { legend: string; values: readonly T[]; chosen: readonly T[]; labels: Record<T, string>; onChange: (next: T[]) => void }) {
  const id = useId();
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-x-5 gap-y-2">
        {values.map((value) => (
          <div key={value} className="flex items-center gap-2">
            <Checkbox
              id={`${id}-${value}`}
              checked={chosen.includes(value)}
              onCheckedChange={(checked) => onChange(checked === true ? [...chosen, value] : chosen.filter((v) => v !== value))}
            />
            <Label htmlFor={`${id}-${value}`} className="font-normal">
              {labels[value]}
            </Label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** What a key press becomes as a shortcut, or why it cannot be one. */
function comboFromEvent(event: React.KeyboardEvent): { combo: KeyCombo } | { refused: string } | null {
  if (["Shift", "Control", "Alt", "Meta", "AltGraph"].includes(event.key)) return null; // wait for the key itself
  if (event.altKey) return { refused: "Alt cannot be part of a shortcut. Press the key alone, or with Ctrl (⌘ on a Mac)." };
  if (event.shiftKey && event.key !== "?") return { refused: "Shift cannot be part of a shortcut. Press the key alone, or with Ctrl (⌘ on a Mac)." };
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return { combo: { key, ...(event.ctrlKey || event.metaKey ? { mod: true } : {}) } };
}

/** One remappable shortcut: its keys now, Change (press the new key), Default. */
function ShortcutRow({
  id,
  description,
  combos,
  remapped,
  modifier,
  onChange,
}: {
  id: ShortcutId;
  description: string;
  combos: readonly KeyCombo[];
  remapped: boolean;
  modifier: ModifierLabel;
  onChange: (combo: KeyCombo | null) => void;
}) {
  const [listening, setListening] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const refusalId = useId();
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 py-2" data-shortcut={id}>
      <div className="min-w-0">
        <div className="text-sm">{description}</div>
        {refusal && (
          <p id={refusalId} role="alert" className="text-xs text-destructive">
            {refusal}
          </p>
        )}
      </div>
      <div className="flex items-center gap-2">
        <span className="flex items-center gap-1" aria-label={`Keys for ${description}`}>
          {combos.map((combo, i) =>
            comboKeys(combo, modifier).map((key) => (
              <kbd key={`${i}-${key}`} className="min-w-6 rounded border bg-muted px-1.5 py-0.5 text-center font-mono text-xs">
                {key}
              </kbd>
            )),
          )}
        </span>
        <Button
          type="button"
          variant="outline"
          size="sm"
          aria-label={listening ? `Press the new key for ${description}` : `Change the key for ${description}`}
          aria-describedby={refusal ? refusalId : undefined}
          onClick={() => {
            setRefusal(null);
            setListening(true);
          }}
          onBlur={() => setListening(false)}
          onKeyDown={(event) => {
            if (!listening) return;
            if (event.key === "Escape" || event.key === "Tab") {
              setListening(false);
              return;
            }
            event.preventDefault();
            event.stopPropagation();
            const read = comboFromEvent(event);
            if (!read) return;
            setListening(false);
            if ("refused" in read) setRefusal(read.refused);
            else onChange(read.combo);
          }}
        >
          <Keyboard aria-hidden />
          {listening ? "Press a key…" : "Change"}
        </Button>
        {remapped && (
          <Button type="button" variant="ghost" size="sm" onClick={() => onChange(null)} aria-label={`Use the default key for ${description}`}>
            Default
          </Button>
        )}
      </div>
    </div>
  );
}

export function PreferencesForm({ initial }: { initial: Preferences }) {
  const [draft, setDraft] = useState<Preferences>(initial);
  const [saved, setSaved] = useState<Preferences>(initial);
  const [busy, setBusy] = useState<"save" | "reset" | null>(null);
  const [shortcutProblem, setShortcutProblem] = useState<string | null>(null);
  const modifier = useModifierLabel();
  const toastId = useId();
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const set = <K extends keyof Preferences>(key: K, value: Preferences[K]) => setDraft((d) => ({ ...d, [key]: value }));

  /** Applies a remap to the draft unless it clashes (then the draft stays and the message says why). */
  const remap = (id: ShortcutId, combo: KeyCombo | null) => {
    const next = { ...draft.shortcuts };
    if (combo) next[id] = combo;
    else delete next[id];
    const conflict = shortcutConflict(next, modifier);
    setShortcutProblem(conflict);
    if (!conflict) set("shortcuts", next);
  };

  const save = async () => {
    setBusy("save");
    try {
      const result = await savePreferences(draft);
      if (!result.ok) {
        toast.error("Your preferences were not saved", { description: `${result.error.message} Nothing was changed.` });
        return;
      }
      setDraft(result.data);
      setSaved(result.data);
      toast.success("Preferences saved", { description: "They apply now, in every workspace." });
    } catch {
      toast.error("Your preferences were not saved", { description: "The server could not be reached. Check that Bright Run is running, then try again." });
    } finally {
      setBusy(null);
    }
  };

  const reset = async () => {
    setBusy("reset");
    try {
      const result = await resetPreferencesAction();
      if (!result.ok) {
        toast.error("Your preferences were not reset", { description: result.error.message });
        return;
      }
      showPreferences(result.data);
      setDraft(result.data);
      setSaved(result.data);
      setShortcutProblem(null);
      toast.success("Preferences reset to the defaults");
    } catch {
      toast.error("Your preferences were not reset", { description: "The server could not be reached. Check that Bright Run is running, then try again." });
    } finally {
      setBusy(null);
    }
  };

  const toastValid = Number.isInteger(draft.toastSeconds) && draft.toastSeconds >= TOAST_SECONDS_MIN && draft.toastSeconds <= TOAST_SECONDS_MAX;

  return (
    <form
      className="space-y-6"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Section title="Conversations table" description="Used when a link does not say otherwise (a bookmarked view keeps its own filters and page size).">
        <Choice
          label="Rows per page"
          value={String(draft.rowsPerPage) as `${(typeof PER_PAGE_OPTIONS)[number]}`}
          options={PER_PAGE_OPTIONS.map(String) as Array<`${(typeof PER_PAGE_OPTIONS)[number]}`>}
          labels={Object.fromEntries(PER_PAGE_OPTIONS.map((n) => [String(n), `${n} rows`])) as Record<`${(typeof PER_PAGE_OPTIONS)[number]}`, string>}
          onChange={(value) => set("rowsPerPage", Number(value) as Preferences["rowsPerPage"])}
        />
        <Choice label="Density" value={draft.density} options={DENSITY_CHOICES} labels={DENSITY_LABELS} onChange={(value) => set("density", value)} />
        <div className="space-y-3">
          <p className="text-sm text-muted-foreground">Default filters: the table opens showing only these (none ticked: everything). Changing the filters on the page turns them off for that view.</p>
          <Ticks<ConversationStatus> legend="Status" values={CONVERSATION_STATUSES} chosen={draft.defaultFilters.status} labels={STATUS_LABELS} onChange={(status) => set("defaultFilters", { ...draft.defaultFilters, status })} />
          <Ticks<Tier> legend="Tier" values={TIERS} chosen={draft.defaultFilters.tier} labels={TIER_LABELS} onChange={(tier) => set("defaultFilters", { ...draft.defaultFilters, tier })} />
        </div>
      </Section>

      <Section title="Appearance and messages">
        <Choice label="Theme" value={draft.theme} options={THEME_CHOICES} labels={THEME_LABELS} onChange={(value) => set("theme", value)} />
        <div className="flex items-center justify-between gap-4">
          <Label htmlFor={toastId}>Messages stay for (seconds)</Label>
          <Input
            id={toastId}
            type="number"
            inputMode="numeric"
            min={TOAST_SECONDS_MIN}
            max={TOAST_SECONDS_MAX}
            step={1}
            className="w-24"
            value={Number.isNaN(draft.toastSeconds) ? "" : draft.toastSeconds}
            aria-invalid={!toastValid}
            aria-describedby={`${toastId}-hint`}
            onChange={(event) => set("toastSeconds", event.target.value === "" ? Number.NaN : Number(event.target.value))}
          />
        </div>
        <p id={`${toastId}-hint`} className={toastValid ? "text-xs text-muted-foreground" : "text-xs text-destructive"}>
          {toastValid
            ? `From ${TOAST_SECONDS_MIN} to ${TOAST_SECONDS_MAX} seconds. A message with an Undo button stays as long as Undo works.`
            : `Enter a whole number of seconds from ${TOAST_SECONDS_MIN} to ${TOAST_SECONDS_MAX}.`}
        </p>
      </Section>

      <Section title="E-mail notifications" description="Sent to your account's e-mail address once the installation's owner has set up e-mail (SMTP). “When a generation run finishes” ticks the Generate dialog's “E-mail me when it finishes” for you; “When a run fails…” covers every run you start, ticked or not; the summary comes at 07:00 UTC when there is something to report.">
        <div className="space-y-2">
          {EMAIL_NOTIFICATION_KEYS.map((key) => (
            <div key={key} className="flex items-center gap-2">
              <Checkbox id={`email-${key}`} checked={draft.email[key]} onCheckedChange={(checked) => set("email", { ...draft.email, [key]: checked === true })} />
              <Label htmlFor={`email-${key}`} className="font-normal">
                {EMAIL_NOTIFICATION_LABELS[key]}
              </Label>
            </div>
          ))}
        </div>
      </Section>

      <Section id="shortcuts" title="Keyboard shortcuts" description="Click Change, then press the new key (alone, or with Ctrl / ⌘). Esc cancels. Esc itself always closes the preview and dialogs.">
        {shortcutProblem && (
          <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/5 p-2 text-sm text-destructive">
            {shortcutProblem}
          </p>
        )}
        <div className="divide-y">
          {KEYBOARD_SHORTCUTS.filter((s) => !s.fixed).map((s) => (
            <ShortcutRow
              key={s.id}
              id={s.id}
              description={`${s.description} (${s.scope})`}
              combos={draft.shortcuts[s.id] ? [draft.shortcuts[s.id] as KeyCombo] : s.combos}
              remapped={Boolean(draft.shortcuts[s.id])}
              modifier={modifier}
              onChange={(combo) => remap(s.id, combo)}
            />
          ))}
        </div>
        {Object.keys(draft.shortcuts).length > 0 && (
          <Button type="button" variant="outline" size="sm" onClick={() => {
              setShortcutProblem(null);
              set("shortcuts", {});
            }}>
            Use every default key
          </Button>
        )}
      </Section>

      <div className="sticky bottom-0 flex flex-wrap items-center justify-between gap-3 border-t bg-background/95 py-3 backdrop-blur">
        <Button type="button" variant="outline" onClick={() => void reset()} disabled={busy !== null || (JSON.stringify(saved) === JSON.stringify(DEFAULT_PREFERENCES) && !dirty)}>
          <RotateCcw aria-hidden />
          Reset to defaults
        </Button>
        <div className="flex items-center gap-3">
          {dirty && <span className="text-sm text-muted-foreground">Unsaved changes</span>}
          <Button type="submit" disabled={busy !== null || !dirty || !toastValid}>
            <Save aria-hidden />
            Save preferences
          </Button>
        </div>
      </div>
    </form>
  );
}
