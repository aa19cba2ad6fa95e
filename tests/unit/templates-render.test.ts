import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors";
import {
  TEMPLATE_PARAMETER_NAMES,
  buildTemplateParameters,
  listPlaceholders,
  renderTemplate,
  validateTemplateText,
} from "../../src/core/templates";
import { CHUNKS, EDGE_CASES, SCENARIOS, buildGenerationContext } from "../support/generation-context.fixture";

/** Runs `fn`, expecting an AppError; returns it. */
function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError, nothing was thrown");
}

describe("buildTemplateParameters", () => {
  it("resolves every documented parameter from the conversation's slot", () => {
    const parameters = buildTemplateParameters(buildGenerationContext({ tier: "scenario", scenario: SCENARIOS[0] }));
    expect(Object.keys(parameters).sort()).toEqual([...TEMPLATE_PARAMETER_NAMES].sort());
    expect(parameters).toMatchObject({
      business_name: "Northwind Financial Planning",
      persona: "Anxious First-Time Investor",
      persona_traits: "risk-averse, detail-oriented, asks many questions",
      communication_style: "informal, lots of questions",
      emotion: "Anxiety to Confidence",
      emotion_start: "anxious",
      emotion_end: "confident",
      topic: "Retirement Planning",
      tier: "Scenario",
      key_terms: "withdrawal rate, retirement age, income replacement",
      audience_level: "beginner",
      document_title: "Retirement Readiness Guide",
      source_category: "Retirement",
      scenario: "Late starter catching up",
      scenario_problem: SCENARIOS[0].problem,
      edge_case: "",
      edge_case_condition: "",
    });
  });

  it("falls back to the topic's key terms and leaves absent parts empty", () => {
    const withoutChunkTerms = buildTemplateParameters(buildGenerationContext({ chunk: CHUNKS[1] }));
    expect(withoutChunkTerms.key_terms).toBe("retirement age, withdrawal rate, pension");
    expect(withoutChunkTerms.audience_level).toBe("2");

    const bare = buildTemplateParameters(buildGenerationContext({ chunk: null, tier: "edge_case", edgeCase: EDGE_CASES[0] }));
    expect(bare.chunk_content).toBe("");
    expect(bare.document_title).toBe("");
    expect(bare.scenario_problem).toBe("");
    expect(bare.tier).toBe("Edge case");
    expect(bare.edge_case_condition).toBe("Client demands a guaranteed return before investing.");
  });
});

describe("renderTemplate", () => {
  const parameters = buildTemplateParameters(buildGenerationContext());

  it("fills placeholders and reports which parameters it used", () => {
    const rendered = renderTemplate("Write as {persona}, feeling {emotion_start}, about {topic}. Again: {persona}.", parameters);
    expect(rendered.text).toBe("Write as Anxious First-Time Investor, feeling anxious, about Retirement Planning. Again: Anxious First-Time Investor.");
    expect(rendered.used).toEqual(["persona", "emotion_start", "topic"]);
  });

  it("includes conditional text only when its parameter has a value", () => {
    const template = "Base.{scenario? Follow the scenario below.}{persona_traits? Show the persona's traits.}";
    expect(renderTemplate(template, parameters).text).toBe("Base. Show the persona's traits.");
    const withScenario = buildTemplateParameters(buildGenerationContext({ scenario: SCENARIOS[1] }));
    expect(renderTemplate(template, withScenario).text).toBe("Base. Follow the scenario below. Show the persona's traits.");
  });

  it("treats a blank value as absent for conditionals", () => {
    expect(renderTemplate("A{topic? has topic}", { ...parameters, topic: "   " }).text).toBe("A");
  });

  it("turns {{ and }} into literal braces, also inside conditional text", () => {
    const rendered = renderTemplate('Reply as {{"turns": [...]}} for {topic}.{persona? Use {{role}}.}', parameters);
    expect(rendered.text).toBe('Reply as {"turns": [...]} for Retirement Planning. Use {role}.');
  });

  it("inserts values literally: braces and placeholder names inside a value are not expanded", () => {
    const rendered = renderTemplate("Chunk: {chunk_content}", { ...parameters, chunk_content: 'Use {persona} and {{x}} and {"a": 1}' });
    expect(rendered.text).toBe('Chunk: Use {persona} and {{x}} and {"a": 1}');
  });

  it("strips control characters from values but keeps newlines and tabs", () => {
    const rendered = renderTemplate("[{chunk_content}]", { ...parameters, chunk_content: "line one\r\n\tline two\u0000\u0007\u001b[31m\u0085end" });
    expect(rendered.text).toBe("[line one\n\tline two[31mend]");
  });

  it("fails before any API call when a required parameter is empty, naming it and why", () => {
    const error = appErrorOf(() => renderTemplate("Problem: {scenario_problem}", parameters, { templateName: "Tier 1 default" }));
    expect(error.code).toBe("template_parameter_missing");
    expect(error.message).toBe('Template "Tier 1 default" needs {scenario_problem}, but this conversation has no scenario. Link a scenario or remove the placeholder.');
    expect(error.detail.missing).toEqual(["scenario_problem"]);
  });

  it("names every missing parameter, grouped by reason", () => {
    const bare = buildTemplateParameters(buildGenerationContext({ chunk: null }));
    const error = appErrorOf(() => renderTemplate("{chunk_content} {document_title} {edge_case}", bare, { templateName: "Edge" }));
    expect(error.message).toContain("{chunk_content} and {document_title}, but this conversation has no source chunk");
    expect(error.message).toContain("remove the placeholders");
    expect(error.message).toContain("It also needs {edge_case}, but this conversation has no edge case");
  });

  it("enforces options.required even for parameters used only conditionally", () => {
    const bare = buildTemplateParameters(buildGenerationContext({ chunk: null }));
    expect(renderTemplate("{chunk_content?Use the chunk.}", bare).text).toBe("");
    const error = appErrorOf(() => renderTemplate("{chunk_content?Use the chunk.}", bare, { required: ["chunk_content"] }));
    expect(error.code).toBe("template_parameter_missing");
    expect(error.message).toContain("{chunk_content}");
  });

  it("rejects an unknown placeholder and suggests the closest name", () => {
    const error = appErrorOf(() => renderTemplate("Hello {persna}", parameters, { templateName: "Typo" }));
    expect(error.code).toBe("template_parameter_missing");
    expect(error.message).toContain('Template "Typo" uses {persna} (did you mean {persona}?)');
    expect(error.detail.unknown).toEqual(["persna"]);
  });

  it("reports unbalanced braces as template_invalid with the character position", () => {
    const unclosed = appErrorOf(() => renderTemplate("Hi {persona", parameters, { templateName: "Broken" }));
    expect(unclosed.code).toBe("template_invalid");
    expect(unclosed.message).toContain('Template "Broken" has a "{" at character 4 (line 1, column 4)');
    expect(unclosed.detail).toMatchObject({ position: 4, line: 1, column: 4 });

    const stray = appErrorOf(() => renderTemplate("ok\nthen } here", parameters));
    expect(stray.code).toBe("template_invalid");
    expect(stray.message).toContain('"}" at character 9 (line 2, column 6)');
    expect(stray.message).toContain('Write "}}" for a literal brace');

    const json = appErrorOf(() => renderTemplate('Reply with { "turns": [] }', parameters));
    expect(json.message).toContain('write "{{" for a literal brace');

    const nested = appErrorOf(() => renderTemplate("{scenario?See {scenario_problem}}", parameters));
    expect(nested.code).toBe("template_invalid");
    expect(nested.message).toContain("character 15");
    expect(nested.message).toContain("plain text only");

    const openConditional = appErrorOf(() => renderTemplate("{scenario?never closed", parameters));
    expect(openConditional.message).toContain("never closed");
  });
});

describe("listPlaceholders and validateTemplateText", () => {
  it("separates required placeholders from conditional ones", () => {
    expect(listPlaceholders("{persona} {topic?x} {persona} {scenario?y} {topic}")).toEqual({ required: ["persona", "topic"], conditional: ["scenario"] });
  });

  it("accepts a well-formed template for its tier", () => {
    expect(validateTemplateText("You are {persona}. {scenario_problem} {scenario_solution?Aim for the solution.}", "scenario")).toEqual([]);
  });

  it("returns errors the importer can reject a file on", () => {
    const problems = validateTemplateText("Hi {persona}, about {topc} and {Tone} and {topc}.", "template", { templateName: "Bad" });
    expect(problems.filter((problem) => problem.severity === "error").map((problem) => problem.name)).toEqual(["topc", "Tone"]);
    expect(problems[0]).toMatchObject({ code: "unknown_placeholder", line: 1, column: 21 });
    expect(problems[0].message).toContain("Did you mean {topic}?");
    expect(problems[1].message).toContain("Did you mean {tone}?");

    const syntax = validateTemplateText("Hi {persona", "template");
    expect(syntax).toEqual([expect.objectContaining({ severity: "error", code: "template_invalid", position: 4 })]);
  });

  it("warns when a template requires what its tier does not provide, or ignores what it does", () => {
    const templateTier = validateTemplateText("{persona} {scenario_problem}", "template");
    expect(templateTier).toEqual([expect.objectContaining({ severity: "warning", code: "tier_mismatch", name: "scenario_problem" })]);
    const edgeTier = validateTemplateText("{persona} {topic}", "edge_case");
    expect(edgeTier).toEqual([expect.objectContaining({ severity: "warning", code: "tier_unused" })]);
    expect(edgeTier[0].message).toContain("{edge_case_condition}");
  });
});
