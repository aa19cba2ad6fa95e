/**
 * Prompt template syntax and rendering (US7.2.1). docs/templates.md describes it for people.
 *
 * - `{name}`         the value of parameter `name`; the parameter is required.
 * - `{name?text}`    `text`, only when parameter `name` is non-empty; `text` is plain text
 *                    (no placeholders inside; `{{` and `}}` still mean literal braces).
 * - `{{` and `}}`    a literal `{` and `}`.
 *
 * Parameter values are inserted literally (never scanned for placeholders), with control
 * characters other than newline and tab removed.
 */
import { AppError } from "../errors";
import { TEMPLATE_PARAMETER_NAMES, TEMPLATE_PARAMETER_SOURCES, isTemplateParameterName } from "./template-parameters";

/** One piece of a parsed template. `position` is the 1-based character index of the opening `{`. */
export type TemplateToken =
  | { kind: "text"; text: string }
  | { kind: "placeholder"; name: string; position: number }
  | { kind: "conditional"; name: string; text: string; position: number };

/** Where a character sits in a template: 1-based character index, line and column. */
export interface TemplateLocation {
  position: number;
  line: number;
  column: number;
}

export interface RenderTemplateOptions {
  /** Parameters that must be non-empty even when the template only uses them conditionally (or not at all). */
  required?: string[];
  /** Shown in error messages: `Template "Tier 1 default" needs …`. */
  templateName?: string;
  /**
   * Names a placeholder may use. Default: every name of TEMPLATE_PARAMETER_NAMES plus the keys
   * of `parameters` (so sample parameters in a template test work).
   */
  knownNames?: readonly string[];
}

export interface RenderedTemplate {
  /** The prompt, ready to send. */
  text: string;
  /** Names the template referenced (placeholders and conditions), each once, in order of first use. */
  used: string[];
}

export interface TemplatePlaceholders {
  /** Names used as `{name}`: the conversation must provide a non-empty value. */
  required: string[];
  /** Names used only as conditions `{name?text}` (a name used both ways is listed as required only). */
  conditional: string[];
}

const NAME_CHARACTER = /[A-Za-z0-9_-]/;
const TEMPLATE_PARAMETER_NAME_SET: ReadonlySet<string> = new Set(TEMPLATE_PARAMETER_NAMES);
/** Sanitised parameter values a compiled template keeps (then it starts over): bounds its memory. */
const SANITIZED_VALUES_KEPT = 4_096;
const VALID_NAME = /^[a-z][a-z0-9_]*$/;
// C0 controls except \t (U+0009) and \n (U+000A), DEL and the C1 controls.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Parses template text into tokens.
 *
 * @param templateText the template body
 * @param templateName shown in error messages
 * @throws AppError `template_invalid` when a `{` opens nothing valid or is never closed, a `}`
 *   closes nothing, or a conditional's text contains a single `{`. The message names the
 *   character position (1-based), line and column; `detail` carries them as numbers.
 */
export function parseTemplate(templateText: string, templateName?: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let text = "";
  let index = 0;
  const flushText = (): void => {
    if (text.length > 0) tokens.push({ kind: "text", text });
    text = "";
  };

  while (index < templateText.length) {
    const character = templateText[index];
    if (character === "}") {
      if (templateText[index + 1] === "}") {
        text += "}";
        index += 2;
        continue;
      }
      throw invalid(templateText, index, templateName, 'closes nothing. Write "}}" for a literal brace.');
    }
    if (character !== "{") {
      text += character;
      index += 1;
      continue;
    }
    if (templateText[index + 1] === "{") {
      text += "{";
      index += 2;
      continue;
    }

    const start = index;
    let cursor = index + 1;
    while (cursor < templateText.length && NAME_CHARACTER.test(templateText[cursor])) cursor += 1;
    const name = templateText.slice(start + 1, cursor);
    const next = templateText[cursor];
    if (name.length === 0 || (next !== "}" && next !== "?")) {
      if (next === undefined) throw invalid(templateText, start, templateName, 'is never closed. Close it with "}", or write "{{" for a literal brace.');
      if (name.length > 0) throw invalid(templateText, start, templateName, `starts {${name} but is not closed by "}" right after the name. Write {${name}} or {${name}?text}, or "{{" for a literal brace.`);
      throw invalid(templateText, start, templateName, 'does not start a placeholder. Placeholders look like {persona} or {persona?text}; write "{{" for a literal brace.');
    }
    flushText();
    if (next === "}") {
      tokens.push({ kind: "placeholder", name, position: start + 1 });
      index = cursor + 1;
      continue;
    }

    // Conditional: read plain text up to the closing "}".
    cursor += 1;
    let conditionalText = "";
    let closed = false;
    while (cursor < templateText.length) {
      const inner = templateText[cursor];
      const following = templateText[cursor + 1];
      if (inner === "{") {
        if (following === "{") {
          conditionalText += "{";
          cursor += 2;
          continue;
        }
        throw invalid(templateText, cursor, templateName, `sits inside the conditional {${name}?…}, and conditionals hold plain text only. Write "{{" for a literal brace.`);
      }
      if (inner === "}") {
        if (following === "}") {
          conditionalText += "}";
          cursor += 2;
          continue;
        }
        closed = true;
        break;
      }
      conditionalText += inner;
      cursor += 1;
    }
    if (!closed) throw invalid(templateText, start, templateName, `opens the conditional {${name}?…}, which is never closed with "}".`);
    tokens.push({ kind: "conditional", name, text: conditionalText, position: start + 1 });
    index = cursor + 1;
  }
  flushText();
  return tokens;
}

/**
 * Lists the parameter names a template uses, for validation at import time and previews.
 *
 * @returns `{ required, conditional }`, each name once, in order of first use.
 * @throws AppError `template_invalid` on a syntax error (see {@link parseTemplate}).
 */
export function listPlaceholders(templateText: string): TemplatePlaceholders {
  const required: string[] = [];
  const conditional: string[] = [];
  for (const token of parseTemplate(templateText)) {
    if (token.kind === "placeholder" && !required.includes(token.name)) required.push(token.name);
    if (token.kind === "conditional" && !conditional.includes(token.name)) conditional.push(token.name);
  }
  return { required, conditional: conditional.filter((name) => !required.includes(name)) };
}

/**
 * Fills a template with parameter values (US7.2.1), checking everything before any API call.
 *
 * Rules:
 * - Every unconditional `{name}` is required, as is each name in `options.required`: its value
 *   must be present and not blank.
 * - `{name?text}` yields `text` when `name`'s value is not blank, nothing otherwise.
 * - Values are inserted literally, never re-scanned: a value containing "{persona}" stays
 *   "{persona}". Control characters other than "\n" and "\t" are removed from values.
 *
 * @param templateText the template body
 * @param parameters values by name, e.g. from `buildTemplateParameters(context)`
 * @returns `{ text, used }`
 * @throws AppError `template_invalid` on a syntax error (position named; see {@link parseTemplate}).
 * @throws AppError `template_parameter_missing` when a placeholder names an unknown parameter, or
 *   a required parameter is missing or blank. The message names the placeholder and says why it is
 *   empty, e.g. `Template "Tier 1 default" needs {scenario_problem}, but this conversation has no
 *   scenario. Link a scenario or remove the placeholder.`; `detail` has `missing` / `unknown` lists.
 */
export function renderTemplate(templateText: string, parameters: Record<string, string | undefined>, options: RenderTemplateOptions = {}): RenderedTemplate {
  return compileTemplate(templateText, options)(parameters);
}

/**
 * Parses a template once and returns a function that renders it with any parameters, exactly as
 * {@link renderTemplate} does (renderTemplate is this function called once): same rules, same
 * text, same errors. For rendering one template for many conversations (the run estimate sizes
 * every selected conversation's prompt) without parsing it again each time.
 *
 * @param templateText the template body
 * @returns `(parameters) => { text, used }`; the function throws AppError
 *   `template_parameter_missing` like renderTemplate
 * @throws AppError `template_invalid` on a syntax error (see {@link parseTemplate}), at once.
 */
export function compileTemplate(templateText: string, options: RenderTemplateOptions = {}): (parameters: Record<string, string | undefined>) => RenderedTemplate {
  const tokens = parseTemplate(templateText, options.templateName);
  const subject = templateSubject(options.templateName);
  const fixedKnown = options.knownNames ? new Set<string>(options.knownNames) : null;

  const used: string[] = [];
  const requiredNames: string[] = [];
  for (const token of tokens) {
    if (token.kind === "text") continue;
    if (!used.includes(token.name)) used.push(token.name);
    if (token.kind === "placeholder" && !requiredNames.includes(token.name)) requiredNames.push(token.name);
  }
  for (const name of options.required ?? []) if (!requiredNames.includes(name)) requiredNames.push(name);

  // Rendering one template for many conversations passes the same values again and again (a
  // chunk's text, a persona's description): each distinct value is sanitised once per renderer.
  const sanitized = new Map<string, string>();
  const sanitizedOnce = (raw: string): string => {
    let clean = sanitized.get(raw);
    if (clean === undefined) {
      if (sanitized.size >= SANITIZED_VALUES_KEPT) sanitized.clear();
      clean = sanitizeParameterValue(raw);
      sanitized.set(raw, clean);
    }
    return clean;
  };

  return (parameters) => {
    // Default known names: every parameter name plus the keys of `parameters` (Object.keys: own, enumerable).
    const isKnown = (name: string): boolean =>
      fixedKnown ? fixedKnown.has(name) : TEMPLATE_PARAMETER_NAME_SET.has(name) || Object.prototype.propertyIsEnumerable.call(parameters, name);
    const unknown = used.filter((name) => !isKnown(name));
    if (unknown.length > 0) {
      const known = [...(fixedKnown ?? new Set<string>([...TEMPLATE_PARAMETER_NAMES, ...Object.keys(parameters)]))];
      const first = tokens.find((token) => token.kind !== "text" && token.name === unknown[0]);
      const location = first && first.kind !== "text" ? locate(templateText, first.position - 1) : undefined;
      throw new AppError("template_parameter_missing", unknownMessage(subject, unknown, known), {
        detail: { templateName: options.templateName ?? null, unknown, location: location ?? null, knownNames: known },
      });
    }

    const value = (name: string): string => sanitizedOnce(parameters[name] ?? "");
    const missing = requiredNames.filter((name) => value(name).trim().length === 0);
    if (missing.length > 0) {
      throw new AppError("template_parameter_missing", missingMessage(subject, missing, parameters), {
        detail: { templateName: options.templateName ?? null, missing },
      });
    }

    let text = "";
    for (const token of tokens) {
      if (token.kind === "text") text += token.text;
      else if (token.kind === "placeholder") text += value(token.name);
      else if (value(token.name).trim().length > 0) text += token.text;
    }
    return { text, used: [...used] };
  };
}

/**
 * Removes control characters other than newline and tab (C0, DEL, C1) from a parameter value.
 * A carriage return is removed too, so "\r\n" becomes "\n".
 */
export function sanitizeParameterValue(value: string): string {
  return value.replace(CONTROL_CHARACTERS, "");
}

/** 1-based position, line and column of a 0-based index in `text`. */
export function locate(text: string, index: number): TemplateLocation {
  const before = text.slice(0, index);
  const lines = before.split("\n");
  return { position: index + 1, line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Whether a placeholder name has the shape of a parameter name (lower-case snake_case). */
export function isWellFormedParameterName(name: string): boolean {
  return VALID_NAME.test(name);
}

/** The closest known name, when it is close enough to be a likely typo (edit distance ≤ 3). */
export function suggestParameterName(name: string, knownNames: readonly string[]): string | null {
  const lowered = name.toLowerCase().replace(/-/g, "_");
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of knownNames) {
    const distance = editDistance(lowered, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.min(3, Math.max(1, Math.floor(best.length / 3))) ? best : null;
}

function templateSubject(templateName: string | undefined): string {
  return templateName ? `Template "${templateName}"` : "The template";
}

function invalid(templateText: string, index: number, templateName: string | undefined, problem: string): AppError {
  const location = locate(templateText, index);
  const character = templateText[index];
  const message = `${templateSubject(templateName)} has a "${character}" at character ${location.position} (line ${location.line}, column ${location.column}) that ${problem}`;
  return new AppError("template_invalid", message, { detail: { templateName: templateName ?? null, ...location } });
}

function unknownMessage(subject: string, unknown: string[], known: string[]): string {
  const parts = unknown.map((name) => {
    const suggestion = suggestParameterName(name, known);
    return suggestion ? `{${name}} (did you mean {${suggestion}}?)` : `{${name}}`;
  });
  const noun = unknown.length === 1 ? "a parameter" : "parameters";
  const fix = unknown.length === 1 ? "Fix the name or remove the placeholder" : "Fix the names or remove the placeholders";
  return `${subject} uses ${joinList(parts)}, which ${unknown.length === 1 ? "is not" : "are not"} ${noun} Bright Run knows. ${fix}; docs/templates.md lists every parameter.`;
}

interface MissingReason {
  why: string;
  fix: string;
}

function missingReason(name: string, parameters: Record<string, string | undefined>): MissingReason {
  const present = (key: string): boolean => (parameters[key] ?? "").trim().length > 0;
  const source = isTemplateParameterName(name) ? TEMPLATE_PARAMETER_SOURCES[name] : null;
  switch (source) {
    case "scenario":
      return present("scenario")
        ? { why: `its scenario has no ${name.replace("scenario_", "")}`, fix: "Fill it in in the scenarios file, or remove the PLACEHOLDER." }
        : { why: "this conversation has no scenario", fix: "Link a scenario or remove the PLACEHOLDER." };
    case "edge_case":
      return present("edge_case")
        ? { why: "its edge-case category has no test condition", fix: "Fill it in in the taxonomy file, or remove the PLACEHOLDER." }
        : { why: "this conversation has no edge case", fix: "Give it an edge-case category or remove the PLACEHOLDER." };
    case "chunk":
      if (name === "key_terms") return { why: "neither its source chunk nor its topic has key terms", fix: "Add key terms to the topic, or remove the PLACEHOLDER." };
      if (present("chunk_content")) return { why: `its source chunk has no ${name === "audience_level" ? "audience_level dimension" : name.replace("chunk_", "")}`, fix: "Re-import the chunk with that field, or remove the PLACEHOLDER." };
      return { why: "this conversation has no source chunk", fix: "Link a source chunk (import the document's chunks) or remove the PLACEHOLDER." };
    case "persona": {
      const what = name === "persona_traits" ? "traits" : name === "communication_style" ? "communication style" : name.replace("persona_", "");
      return { why: `its persona has no ${what}`, fix: `Add ${name === "persona_traits" ? "traits" : `a ${what}`} to the persona in the taxonomy file, or remove the PLACEHOLDER.` };
    }
    case null:
      return { why: "no value was given for it", fix: "Provide a value or remove the PLACEHOLDER." };
    default:
      return { why: "its value is empty", fix: "Fill it in, or remove the PLACEHOLDER." };
  }
}

function missingMessage(subject: string, missing: string[], parameters: Record<string, string | undefined>): string {
  const groups = new Map<string, { reason: MissingReason; names: string[] }>();
  for (const name of missing) {
    const reason = missingReason(name, parameters);
    const key = `${reason.why}|${reason.fix}`;
    const group = groups.get(key) ?? { reason, names: [] };
    group.names.push(name);
    groups.set(key, group);
  }
  const sentences = [...groups.values()].map((group, index) => {
    const names = joinList(group.names.map((name) => `{${name}}`));
    const fix = group.reason.fix.replace("PLACEHOLDER", group.names.length === 1 ? "placeholder" : "placeholders");
    return `${index === 0 ? subject : "It also"} needs ${names}, but ${group.reason.why}. ${fix}`;
  });
  return sentences.join(" ");
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/**
 * The leading part of a rendered template that is the same for every conversation using it: the
 * rendered text up to the first placeholder (or conditional) whose value comes from the
 * conversation rather than the workspace (TEMPLATE_PARAMETER_SOURCES). Providers with prompt
 * caching cache it (Anthropic: cache_control on that block), so templates that open with their
 * fixed instructions and put the persona, chunk and scenario after them are cheaper to run.
 * @returns "" when the template starts with a per-conversation value.
 */
export function sharedTemplatePrefix(templateText: string, parameters: Record<string, string | undefined>, sources: Record<string, string>): string {
  let text = "";
  for (const token of parseTemplate(templateText)) {
    if (token.kind === "text") {
      text += token.text;
      continue;
    }
    if (sources[token.name] !== "workspace") break;
    const value = sanitizeParameterValue(parameters[token.name] ?? "");
    if (token.kind === "placeholder") text += value;
    else if (value.trim().length > 0) text += token.text;
  }
  return text;
}
