/**
 * Every keyboard shortcut of the app, in one place (US11.1.2, US14.2.1): the "?" dialog lists
 * these, and the components that act on a key ask `matchesShortcut` instead of comparing keys
 * themselves, so what the dialog says is what the keys do.
 *
 * Keys follow KeyboardEvent.key (https://developer.mozilla.org/docs/Web/API/UI_Events/Keyboard_event_key_values);
 * `mod` means Ctrl on Windows and Linux, ⌘ on macOS (either is accepted everywhere).
 */

/** Where a shortcut works. */
export type ShortcutScope = "Anywhere" | "Conversations table" | "Conversation preview";

/** The scopes in the order the "?" dialog lists them. */
export const SHORTCUT_SCOPES: readonly ShortcutScope[] = ["Anywhere", "Conversations table", "Conversation preview"];

export type ShortcutId =
  | "showShortcuts"
  | "selectVisibleRows"
  | "openExport"
  | "openRow"
  | "toggleRow"
  | "nextRow"
  | "previousRow"
  | "approve"
  | "reject"
  | "previousConversation"
  | "nextConversation"
  | "closePanel";

/** One key combination: a KeyboardEvent.key value (compared case-insensitively) and its modifier. */
export interface KeyCombo {
  key: string;
  /** Ctrl or ⌘ must be held (and Alt must not). */
  mod?: boolean;
}

export interface ShortcutDefinition {
  id: ShortcutId;
  scope: ShortcutScope;
  /** What it does, as the dialog says it. */
  description: string;
  /** Any of these combinations triggers it (the defaults; the user's preferences may replace them). */
  combos: readonly KeyCombo[];
  /** Not remappable: the key is the browser's or the dialogs' own (Esc closes every dialog). */
  fixed?: true;
}

export const KEYBOARD_SHORTCUTS: readonly ShortcutDefinition[] = [
  { id: "showShortcuts", scope: "Anywhere", description: "Show these keyboard shortcuts", combos: [{ key: "?" }] },
  { id: "selectVisibleRows", scope: "Conversations table", description: "Select the conversations on this page", combos: [{ key: "a", mod: true }] },
  { id: "openExport", scope: "Conversations table", description: "Open Export", combos: [{ key: "e", mod: true }] },
  { id: "openRow", scope: "Conversations table", description: "Open the focused conversation in the preview", combos: [{ key: "Enter" }] },
  { id: "toggleRow", scope: "Conversations table", description: "Select or clear the focused conversation", combos: [{ key: " " }] },
  { id: "nextRow", scope: "Conversations table", description: "Focus the next row", combos: [{ key: "ArrowDown" }] },
  { id: "previousRow", scope: "Conversations table", description: "Focus the previous row", combos: [{ key: "ArrowUp" }] },
  { id: "approve", scope: "Conversation preview", description: "Approve (with the notes typed so far)", combos: [{ key: "a" }] },
  { id: "reject", scope: "Conversation preview", description: "Reject (with the notes typed so far)", combos: [{ key: "r" }] },
  { id: "previousConversation", scope: "Conversation preview", description: "Previous conversation", combos: [{ key: "ArrowLeft" }] },
  { id: "nextConversation", scope: "Conversation preview", description: "Next conversation", combos: [{ key: "ArrowRight" }] },
  { id: "closePanel", scope: "Conversation preview", description: "Close the preview (or any dialog)", combos: [{ key: "Escape" }], fixed: true },
];

const BY_ID = new Map(KEYBOARD_SHORTCUTS.map((s) => [s.id, s]));

/** The ids of the shortcuts a user may remap (every one not `fixed`), in the registry's order. */
export const REMAPPABLE_SHORTCUT_IDS: readonly ShortcutId[] = KEYBOARD_SHORTCUTS.filter((s) => !s.fixed).map((s) => s.id);

/** Whether `id` names a shortcut of the registry. */
export function isShortcutId(id: string): id is ShortcutId {
  return BY_ID.has(id as ShortcutId);
}

// The user's remapped keys (their preferences, src/lib/preferences.ts), set in the browser once
// they are loaded; a remapped shortcut has exactly the one combination chosen.
let overrides: Partial<Record<ShortcutId, KeyCombo>> = {};
let overridesVersion = 0;
const overrideListeners = new Set<() => void>();

/**
 * Replaces the user's remapped keys (ids not in the registry or `fixed` are ignored). Everything
 * that asks `matchesShortcut`, `shortcut` or `ariaKeyShortcuts` follows at once.
 */
export function setShortcutOverrides(next: Partial<Record<string, KeyCombo>>): void {
  const clean: Partial<Record<ShortcutId, KeyCombo>> = {};
  for (const [id, combo] of Object.entries(next)) if (combo && isShortcutId(id) && !BY_ID.get(id)?.fixed) clean[id] = { key: combo.key, ...(combo.mod ? { mod: true } : {}) };
  if (JSON.stringify(clean) === JSON.stringify(overrides)) return;
  overrides = clean;
  overridesVersion += 1;
  overrideListeners.forEach((listener) => listener());
}

/** For useSyncExternalStore: re-render when the remapped keys change. */
export function subscribeShortcutOverrides(listener: () => void): () => void {
  overrideListeners.add(listener);
  return () => overrideListeners.delete(listener);
}

/** A number that changes whenever the remapped keys change (useSyncExternalStore's snapshot). */
export function shortcutOverridesVersion(): number {
  return overridesVersion;
}

/** The definition of one shortcut with the user's key if remapped; throws on an unknown id (a programming error). */
export function shortcut(id: ShortcutId): ShortcutDefinition {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`Unknown keyboard shortcut "${id}".`);
  const combo = overrides[id];
  return combo ? { ...found, combos: [combo] } : found;
}

/** Every shortcut as it works now (with the user's remapped keys), in the registry's order. */
export function effectiveShortcuts(): ShortcutDefinition[] {
  return KEYBOARD_SHORTCUTS.map((s) => shortcut(s.id));
}

/** The same key combination (keys compared case-insensitively). */
export function sameCombo(a: KeyCombo, b: KeyCombo): boolean {
  return a.key.toLowerCase() === b.key.toLowerCase() && Boolean(a.mod) === Boolean(b.mod);
}

/** Keys that cannot be a shortcut: modifiers alone, and Tab (moving between controls). */
export const UNASSIGNABLE_KEYS: readonly string[] = ["Tab", "Shift", "Control", "Alt", "Meta", "AltGraph", "CapsLock", "Dead", "Unidentified"];

/**
 * Why a set of remapped keys cannot be used, in plain English, or null when it can: an unknown or
 * fixed shortcut, a key that cannot be a shortcut, or two shortcuts on one key combination (every
 * scope counts: the table's and the preview's keys work at the same time).
 * @param remapped shortcut id → the one combination chosen (the others keep their defaults)
 */
export function shortcutConflict(remapped: Partial<Record<string, KeyCombo>>, modifier: ModifierLabel = "Ctrl"): string | null {
  for (const [id, combo] of Object.entries(remapped)) {
    if (!combo) continue;
    const definition = BY_ID.get(id as ShortcutId);
    if (!definition) return `There is no keyboard shortcut "${id}". Reset the shortcuts to their defaults.`;
    if (definition.fixed) return `"${definition.description}" always uses ${comboKeys(definition.combos[0], modifier).join("+")}; it cannot be changed.`;
    if (UNASSIGNABLE_KEYS.includes(combo.key) || (combo.key.trim() === "" && combo.key !== " ")) return `${combo.key || "That key"} cannot be a shortcut. Press a letter, a digit, an arrow or another key.`;
  }
  const effective = KEYBOARD_SHORTCUTS.map((s) => ({ ...s, combos: remapped[s.id] ? [remapped[s.id] as KeyCombo] : s.combos }));
  for (let i = 0; i < effective.length; i += 1) {
    for (let j = i + 1; j < effective.length; j += 1) {
      const clash = effective[i].combos.find((a) => effective[j].combos.some((b) => sameCombo(a, b)));
      if (clash) {
        const keys = comboKeys(clash, modifier).join("+");
        // Name the remapped one as the newcomer: "R is already Reject's key, so it cannot also be Approve's".
        const [holder, newcomer] = remapped[effective[i].id] && !remapped[effective[j].id] ? [effective[j], effective[i]] : [effective[i], effective[j]];
        return `${keys} is already the key for "${holder.description}" (${holder.scope}), so it cannot also be "${newcomer.description}". Choose another key, or change that shortcut first.`;
      }
    }
  }
  return null;
}

/** The key fields of a KeyboardEvent that matching reads (a real event satisfies it). */
export interface KeyEventLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

function comboMatches(combo: KeyCombo, event: KeyEventLike): boolean {
  if (event.key.toLowerCase() !== combo.key.toLowerCase() || event.altKey) return false;
  const mod = event.ctrlKey || event.metaKey;
  if (Boolean(combo.mod) !== mod) return false;
  // "?" is Shift+/ on most layouts: Shift is part of the key there. Elsewhere Shift means another shortcut.
  return combo.key === "?" || !event.shiftKey;
}

/** True when the event is one of the shortcut's key combinations. */
export function matchesShortcut(id: ShortcutId, event: KeyEventLike): boolean {
  return shortcut(id).combos.some((combo) => comboMatches(combo, event));
}

/** Which platform's modifier name to show: "⌘" on Apple platforms, otherwise "Ctrl". */
export type ModifierLabel = "⌘" | "Ctrl";

const KEY_LABELS: Record<string, string> = { " ": "Space", ArrowDown: "↓", ArrowUp: "↑", ArrowLeft: "←", ArrowRight: "→", Escape: "Esc", Enter: "Enter" };

/** The keys of one combination as the user presses them, e.g. ["Ctrl", "A"] or ["?"]. */
export function comboKeys(combo: KeyCombo, modifier: ModifierLabel): string[] {
  const key = KEY_LABELS[combo.key] ?? (combo.key.length === 1 ? combo.key.toUpperCase() : combo.key);
  return combo.mod ? [modifier, key] : [key];
}

/**
 * The shortcut in the aria-keyshortcuts syntax (WAI-ARIA 1.2: modifiers joined with "+", one
 * combination per space-separated entry), e.g. "Control+A Meta+A".
 */
export function ariaKeyShortcuts(id: ShortcutId): string {
  const ariaKey = (key: string) => (key === " " ? "Space" : key.length === 1 ? key.toUpperCase() : key);
  return shortcut(id)
    .combos.flatMap((c) => (c.mod ? [`Control+${ariaKey(c.key)}`, `Meta+${ariaKey(c.key)}`] : [ariaKey(c.key)]))
    .join(" ");
}

/**
 * True when a key typed at this target belongs to what the user is typing or choosing (a text
 * field, a select, a menu, an editor), so single-key shortcuts must leave it alone.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.closest('input, textarea, select, [role="textbox"], [role="combobox"], [role="slider"], [role="spinbutton"], [role="listbox"], [role="menu"]') !== null;
}
