"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import Link from "next/link";
import { KeyboardIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import {
  comboKeys,
  effectiveShortcuts,
  isTypingTarget,
  matchesShortcut,
  SHORTCUT_SCOPES,
  shortcutOverridesVersion,
  subscribeShortcutOverrides,
  type ModifierLabel,
} from "@/lib/keyboard-shortcuts";
import { usePreferences } from "@/components/preferences/use-preferences";

const subscribeNothing = () => () => undefined;

/** "⌘" on Apple platforms, "Ctrl" elsewhere (and on the server, where the platform is unknown). */
function useModifierLabel(): ModifierLabel {
  return useSyncExternalStore(
    subscribeNothing,
    () => (/Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? "⌘" : "Ctrl"),
    () => "Ctrl",
  );
}

/**
 * The header's keyboard button and the "Keyboard shortcuts" dialog it opens (US11.1.2,
 * US14.2.1). "?" opens it from anywhere except while typing in a field. It lists
 * src/lib/keyboard-shortcuts.ts, the same definitions the table and the preview act on, with the
 * user's remapped keys (Preferences).
 */
export function KeyboardShortcutsDialog() {
  const [open, setOpen] = useState(false);
  const modifier = useModifierLabel();
  // Loads the user's preferences (remapped keys) on every page with a header, and re-renders when they change.
  usePreferences();
  useSyncExternalStore(subscribeShortcutOverrides, shortcutOverridesVersion, () => 0);
  const shortcuts = effectiveShortcuts();

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || !matchesShortcut("showShortcuts", event) || isTypingTarget(event.target)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <>
      <Button variant="ghost" size="icon" className="size-8" aria-label="Keyboard shortcuts" aria-keyshortcuts="?" title="Keyboard shortcuts (?)" onClick={() => setOpen(true)}>
        <KeyboardIcon aria-hidden="true" />
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-xl">
          <DialogHeader>
            <DialogTitle>Keyboard shortcuts</DialogTitle>
            <DialogDescription>
              Single-letter keys do nothing while you type in a field, so notes and searches are safe. More in the{" "}
              <Link href="/guide/review#with-the-keyboard" className="text-primary underline underline-offset-4" onClick={() => setOpen(false)}>
                user guide
              </Link>
              ; change the keys in{" "}
              <Link href="/preferences#shortcuts" className="text-primary underline underline-offset-4" onClick={() => setOpen(false)}>
                Preferences
              </Link>
              .
            </DialogDescription>
          </DialogHeader>
          {SHORTCUT_SCOPES.map((scope) => (
            <section key={scope} aria-labelledby={`shortcuts-${scope.replace(/\W+/g, "-")}`} className="space-y-1">
              <h3 id={`shortcuts-${scope.replace(/\W+/g, "-")}`} className="text-sm font-medium text-muted-foreground">
                {scope}
              </h3>
              <dl className="divide-y rounded-md border">
                {shortcuts.filter((s) => s.scope === scope).map((s) => (
                  <div key={s.id} className="flex items-center justify-between gap-4 px-3 py-1.5 text-sm">
                    <dt>{s.description}</dt>
                    <dd className="flex shrink-0 items-center gap-1">
                      {s.combos.map((combo, i) => (
                        <span key={i} className="flex items-center gap-1">
                          {comboKeys(combo, modifier).map((key) => (
                            <kbd key={key} className="min-w-6 rounded border bg-muted px-1.5 py-0.5 text-center font-mono text-xs">
                              {key}
                            </kbd>
                          ))}
                        </span>
                      ))}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </DialogContent>
      </Dialog>
    </>
  );
}
