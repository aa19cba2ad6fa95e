/** Prompt templates: parameters, syntax, rendering and import-time validation (docs/templates.md). */
export {
  TEMPLATE_PARAMETER_NAMES,
  TEMPLATE_PARAMETER_SOURCES,
  buildTemplateParameters,
  isTemplateParameterName,
  NO_OUTCOME_TEXT,
  outcomeText,
  type TemplateParameterName,
  type TemplateParameterSource,
} from "./template-parameters";
export {
  compileTemplate,
  listPlaceholders,
  parseTemplate,
  renderTemplate,
  sanitizeParameterValue,
  sharedTemplatePrefix,
  type RenderTemplateOptions,
  type RenderedTemplate,
  type TemplatePlaceholders,
  type TemplateToken,
} from "./render-template";
export { validateTemplateText, type TemplateProblem } from "./validate-template";
