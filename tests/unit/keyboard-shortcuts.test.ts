import { describe, expect, it } from "vitest";
import { ariaKeyShortcuts, comboKeys, KEYBOARD_SHORTCUTS, matchesShortcut, shortcut, SHORTCUT_SCOPES } from "../../src/lib/keyboard-shortcuts";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe("keyboard shortcuts", () => {
  it("tells Ctrl/⌘+A (select the page) from a plain A (approve in the preview)", () => {
    expect(matchesShortcut("selectVisibleRows", key("a", { ctrlKey: true }))).toBe(true);
    expect(matchesShortcut("selectVisibleRows", key("A", { metaKey: true }))).toBe(true);
    expect(matchesShortcut("selectVisibleRows", key("a"))).toBe(false);
    expect(matchesShortcut("approve", key("a"))).toBe(true);
    expect(matchesShortcut("approve", key("a", { ctrlKey: true }))).toBe(false);
    // Shift+A is not a plain A; Alt combinations belong to the browser and the OS.
    expect(matchesShortcut("approve", key("A", { shiftKey: true }))).toBe(false);
    expect(matchesShortcut("openExport", key("e", { ctrlKey: true, altKey: true }))).toBe(false);
  });

  it("opens the list with ? whether or not the layout needs Shift for it", () => {
    expect(matchesShortcut("showShortcuts", key("?", { shiftKey: true }))).toBe(true);
    expect(matchesShortcut("showShortcuts", key("?"))).toBe(true);
    expect(matchesShortcut("showShortcuts", key("/"))).toBe(false);
  });

  it("shows each combination as it is pressed and in aria-keyshortcuts syntax", () => {
    expect(comboKeys(shortcut("openExport").combos[0], "⌘")).toEqual(["⌘", "E"]);
    expect(comboKeys(shortcut("openExport").combos[0], "Ctrl")).toEqual(["Ctrl", "E"]);
    expect(comboKeys(shortcut("toggleRow").combos[0], "Ctrl")).toEqual(["Space"]);
    expect(comboKeys(shortcut("previousConversation").combos[0], "Ctrl")).toEqual(["←"]);
    expect(ariaKeyShortcuts("selectVisibleRows")).toBe("Control+A Meta+A");
    expect(ariaKeyShortcuts("reject")).toBe("R");
    expect(ariaKeyShortcuts("nextConversation")).toBe("ArrowRight");
  });

  it("gives every shortcut a known scope and no two shortcuts of one scope the same keys", () => {
    for (const scope of SHORTCUT_SCOPES) {
      const seen = new Set<string>();
      for (const s of KEYBOARD_SHORTCUTS.filter((d) => d.scope === scope || d.scope === "Anywhere")) {
        for (const combo of s.combos) {
          const id = `${combo.mod ? "mod+" : ""}${combo.key.toLowerCase()}`;
          expect(seen.has(id), `${scope}: ${id} is used twice`).toBe(false);
          seen.add(id);
        }
      }
    }
    expect(KEYBOARD_SHORTCUTS.every((s) => SHORTCUT_SCOPES.includes(s.scope))).toBe(true);
  });
});
