/**
 * Import-time checks of a prompt template's text (US7.2.1 "Pre-generation validation",
 * US7.2.2), so a template file with a typo is rejected before any conversation uses it.
 */
import type { Tier } from "../../lib/constants";
import { TIER_LABELS } from "../../lib/constants";
import { isAppError } from "../errors";
import { listPlaceholders, locate, parseTemplate, suggestParameterName } from "./render-template";
import { TEMPLATE_PARAMETER_NAMES, TEMPLATE_PARAMETER_SOURCES, isTemplateParameterName } from "./template-parameters";

/**
 * One thing wrong with a template.
 * - `error`: the template cannot work (syntax error, unknown placeholder); the importer rejects it.
 * - `warning`: it works for some conversations but probably not as meant (e.g. a Template-tier
 *   template that requires {scenario_problem}, which Template-tier conversations normally lack).
 */
export interface TemplateProblem {
  severity: "error" | "warning";
  code: "template_invalid" | "unknown_placeholder" | "tier_mismatch" | "tier_unused";
  /** Plain English, ready to show next to the template. */
  message: string;
  /** The placeholder name concerned, when there is one. */
  name?: string;
  /** 1-based character position, line and column of the offending `{`, when known. */
  position?: number;
  line?: number;
  column?: number;
}

/**
 * Checks a template's text for the tier it is written for.
 *
 * Errors: a syntax error (first one only, with its position), each placeholder whose name is not
 * in TEMPLATE_PARAMETER_NAMES (with a "did you mean" when there is a close name).
 * Warnings: a required scenario placeholder in a non-Scenario template, a required edge-case
 * placeholder in a non-Edge-case template, a Scenario template that never uses the scenario, an
 * Edge-case template that never uses the edge case.
 *
 * @param text the template body
 * @param tier the tier the template is for
 * @returns problems, errors first; empty when the template is fine. Throws nothing.
 */
export function validateTemplateText(text: string, tier: Tier, options: { templateName?: string } = {}): TemplateProblem[] {
  const subject = options.templateName ? `Template "${options.templateName}"` : "The template";
  let tokens;
  try {
    tokens = parseTemplate(text, options.templateName);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const { position, line, column } = error.detail as { position?: number; line?: number; column?: number };
    return [{ severity: "error", code: "template_invalid", message: error.message, position, line, column }];
  }

  const errors: TemplateProblem[] = [];
  const reported = new Set<string>();
  for (const token of tokens) {
    if (token.kind === "text" || isTemplateParameterName(token.name) || reported.has(token.name)) continue;
    reported.add(token.name);
    const suggestion = suggestParameterName(token.name, TEMPLATE_PARAMETER_NAMES);
    const location = locate(text, token.position - 1);
    errors.push({
      severity: "error",
      code: "unknown_placeholder",
      name: token.name,
      ...location,
      message: `${subject} uses {${token.name}} at line ${location.line}, column ${location.column}, which is not a parameter Bright Run knows.${suggestion ? ` Did you mean {${suggestion}}?` : ""} docs/templates.md lists every parameter.`,
    });
  }

  const warnings: TemplateProblem[] = [];
  const { required, conditional } = listPlaceholders(text);
  const sourceOf = (name: string) => (isTemplateParameterName(name) ? TEMPLATE_PARAMETER_SOURCES[name] : null);
  for (const name of required) {
    const source = sourceOf(name);
    if (source === "scenario" && tier !== "scenario") {
      warnings.push({
        severity: "warning",
        code: "tier_mismatch",
        name,
        message: `${subject} is for ${TIER_LABELS[tier]} conversations but requires {${name}}; those conversations normally have no scenario, so generation would stop with a missing-parameter error. Remove it or move the template to the Scenario tier.`,
      });
    }
    if (source === "edge_case" && tier !== "edge_case") {
      warnings.push({
        severity: "warning",
        code: "tier_mismatch",
        name,
        message: `${subject} is for ${TIER_LABELS[tier]} conversations but requires {${name}}; those conversations normally have no edge case, so generation would stop with a missing-parameter error. Remove it or move the template to the Edge case tier.`,
      });
    }
  }
  const all = [...required, ...conditional];
  if (tier === "scenario" && !all.some((name) => sourceOf(name) === "scenario")) {
    warnings.push({
      severity: "warning",
      code: "tier_unused",
      message: `${subject} is for Scenario conversations but never mentions the scenario. Add {scenario}, {scenario_problem}, {scenario_solution} or {scenario_outcome} so each conversation follows its scenario.`,
    });
  }
  if (tier === "edge_case" && !all.some((name) => sourceOf(name) === "edge_case")) {
    warnings.push({
      severity: "warning",
      code: "tier_unused",
      message: `${subject} is for Edge case conversations but never mentions the edge case. Add {edge_case} or {edge_case_condition} so each conversation tests its boundary.`,
    });
  }
  return [...errors, ...warnings];
}
