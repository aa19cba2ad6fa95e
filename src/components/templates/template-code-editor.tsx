"use client";
/**
 * CodeMirror 6 (through @uiw/react-codemirror) for a template's text (issue 11 item 2): `{name}` and
 * `{name?text}` placeholders highlighted (a MatchDecorator mark), completion of the known parameter
 * names after `{` with their descriptions, and inline diagnostics (@codemirror/lint) from the same
 * validateTemplateText the importer runs. With `plain`, only an editor (the system prompt, which is
 * sent as written). Follows the light / dark theme of next-themes.
 */
import { useMemo } from "react";
import CodeMirror from "@uiw/react-codemirror";
import { autocompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { Decoration, EditorView, MatchDecorator, ViewPlugin, type DecorationSet, type ViewUpdate } from "@codemirror/view";
import { useTheme } from "next-themes";

import { TEMPLATE_PARAMETER_DESCRIPTIONS } from "@/core/templates/template-parameter-descriptions";
import { TEMPLATE_PARAMETER_NAMES, TEMPLATE_PARAMETER_SOURCES } from "@/core/templates/template-parameters";
import { validateTemplateText } from "@/core/templates/validate-template";
import type { Tier } from "@/lib/constants";

const placeholderMark = Decoration.mark({ class: "cm-template-placeholder" });
const placeholderMatcher = new MatchDecorator({
  // {name} or {name?text}, not the doubled {{ }} escapes.
  regexp: /(?<!\{)\{[A-Za-z0-9_-]+(?:\?[^{}]*)?\}(?!\})/g,
  decoration: () => placeholderMark,
});

const placeholderHighlight = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = placeholderMatcher.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.decorations = placeholderMatcher.updateDeco(update, this.decorations);
    }
  },
  { decorations: (v) => v.decorations },
);

function placeholderCompletions(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/\{[a-z_]*$/);
  if (!word) return null;
  if (word.from === word.to - 1 && !context.explicit && context.state.sliceDoc(word.from - 1, word.from) === "{") return null;
  return {
    from: word.from + 1,
    options: TEMPLATE_PARAMETER_NAMES.map((name) => ({
      label: name,
      detail: TEMPLATE_PARAMETER_SOURCES[name].replace("_", " "),
      info: TEMPLATE_PARAMETER_DESCRIPTIONS[name],
      type: "variable",
      apply: (view: EditorView, _completion: unknown, from: number, to: number) => {
        const closes = view.state.sliceDoc(to, to + 1) === "}";
        view.dispatch({ changes: { from, to, insert: closes ? name : `${name}}` }, selection: { anchor: from + name.length + 1 } });
      },
    })),
    validFor: /^[a-z_]*$/,
  };
}

/** Diagnostics for `text` from validateTemplateText: from the offending `{` to its `}` (or the line's end). */
export function templateDiagnostics(text: string, tier: Tier): Diagnostic[] {
  return validateTemplateText(text, tier).map((problem) => {
    if (!problem.position) return { from: 0, to: Math.min(text.length, 1), severity: problem.severity, message: problem.message };
    const from = Math.min(problem.position - 1, text.length);
    const close = text.indexOf("}", from);
    const lineEnd = text.indexOf("\n", from);
    const to = close >= 0 && (lineEnd < 0 || close < lineEnd) ? close + 1 : lineEnd >= 0 ? lineEnd : text.length;
    return { from, to: Math.max(to, Math.min(from + 1, text.length)), severity: problem.severity, message: problem.message };
  });
}

const baseTheme = EditorView.theme({
  "&": { fontSize: "13px", border: "1px solid var(--border)", borderRadius: "0.375rem", overflow: "hidden" },
  "&.cm-focused": { outline: "2px solid var(--ring)", outlineOffset: "1px" },
  ".cm-scroller": { fontFamily: "var(--font-mono, ui-monospace, monospace)" },
  ".cm-template-placeholder": { color: "var(--info, #2563eb)", backgroundColor: "color-mix(in oklab, var(--info, #2563eb) 14%, transparent)", borderRadius: "3px", fontWeight: "600" },
});

/** A CodeMirror editor for template text (or, with `plain`, for the system prompt). */
export function TemplateCodeEditor({
  value,
  onChange,
  tier,
  label,
  plain = false,
  minHeight = "12rem",
  readOnly = false,
}: {
  value: string;
  onChange: (value: string) => void;
  tier: Tier;
  /** The accessible name of the editing area. */
  label: string;
  plain?: boolean;
  minHeight?: string;
  readOnly?: boolean;
}) {
  const { resolvedTheme } = useTheme();
  const extensions = useMemo(
    () => [
      baseTheme,
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": label }),
      ...(plain ? [] : [placeholderHighlight, autocompletion({ override: [placeholderCompletions], activateOnTyping: true }), linter((view) => templateDiagnostics(view.state.doc.toString(), tier), { delay: 250 }), lintGutter()]),
    ],
    [label, plain, tier],
  );
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      theme={resolvedTheme === "dark" ? "dark" : "light"}
      minHeight={minHeight}
      maxHeight="32rem"
      readOnly={readOnly}
      basicSetup={{ foldGutter: false, highlightActiveLine: false, autocompletion: false, closeBrackets: false, searchKeymap: true }}
    />
  );
}
