"use client";
/**
 * The signed-in user's preferences in the browser (US14.1.1): loaded once per page load from the
 * server (getPreferencesAction), kept in localStorage so the next page starts with them, and
 * shared by every component through `usePreferences()`. Remapped keyboard shortcuts are handed to
 * src/lib/keyboard-shortcuts.ts as soon as they are known. The server is the authority: what is
 * cached here is replaced by what it answers.
 */
import { useSyncExternalStore } from "react";
import { DEFAULT_PREFERENCES, preferencesFromStored, type Preferences } from "@/lib/preferences";
import { setShortcutOverrides } from "@/lib/keyboard-shortcuts";
import { getPreferencesAction, savePreferencesAction } from "@/server/actions/preferences";
import type { ActionResult } from "@/lib/dashboard-contract";

const CACHE_KEY = "brightrun.preferences";

interface Snapshot {
  preferences: Preferences;
  /** True once the server's copy has arrived (false while only the cache or the defaults are known). */
  fromServer: boolean;
}

const SERVER_SNAPSHOT: Snapshot = { preferences: DEFAULT_PREFERENCES, fromServer: false };
let snapshot: Snapshot | null = null;
let loading = false;
const listeners = new Set<() => void>();

function readCache(): Preferences {
  try {
    const raw = window.localStorage.getItem(CACHE_KEY);
    return raw ? preferencesFromStored(JSON.parse(raw)) : DEFAULT_PREFERENCES;
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

function publish(next: Snapshot): void {
  snapshot = next;
  setShortcutOverrides(next.preferences.shortcuts);
  try {
    window.localStorage.setItem(CACHE_KEY, JSON.stringify(next.preferences));
  } catch {
    // Storage refused: the next page load waits for the server's copy instead.
  }
  listeners.forEach((listener) => listener());
}

function current(): Snapshot {
  if (!snapshot) {
    snapshot = { preferences: readCache(), fromServer: false };
    setShortcutOverrides(snapshot.preferences.shortcuts);
  }
  return snapshot;
}

function load(): void {
  if (loading) return;
  loading = true;
  void getPreferencesAction().then(
    (result) => {
      if (result.ok) publish({ preferences: result.data, fromServer: true });
      else console.warn("[brightrun] preferences not loaded:", result.error.message);
    },
    (cause) => console.warn("[brightrun] preferences not loaded:", cause),
  );
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  load();
  return () => listeners.delete(listener);
}

/**
 * The user's preferences: the defaults on the server render and during hydration, then the cached
 * copy, then the server's. `fromServer` says whether the server's copy has arrived.
 */
export function usePreferencesSnapshot(): Snapshot {
  return useSyncExternalStore(subscribe, current, () => SERVER_SNAPSHOT);
}

/** The user's preferences (see usePreferencesSnapshot). */
export function usePreferences(): Preferences {
  return usePreferencesSnapshot().preferences;
}

/**
 * Saves the whole preferences object and, when the server accepted it, shows it everywhere at once.
 * Resolves the server's answer ({ ok: false, error } with a plain message when refused; nothing changes then).
 */
export async function savePreferences(next: Preferences): Promise<ActionResult<Preferences>> {
  const result = await savePreferencesAction(next);
  if (result.ok) publish({ preferences: result.data, fromServer: true });
  return result;
}

/** After the server reset or saved them elsewhere (the preferences page's Reset): shows `preferences` everywhere. */
export function showPreferences(preferences: Preferences): void {
  publish({ preferences, fromServer: true });
}

/** Changes some preferences on top of the current ones and saves them (e.g. the header's theme menu). */
export async function updatePreferences(patch: Partial<Preferences>): Promise<ActionResult<Preferences>> {
  return savePreferences({ ...current().preferences, ...patch });
}
