import { describe, expect, it } from "vitest";
import { renderTemplate, sharedTemplatePrefix, TEMPLATE_PARAMETER_SOURCES } from "../../src/core/templates";

const parameters = { business_name: "Harbor & Pine", persona: "Anxious First-Time Investor", training_system_prompt: "You are…" };

describe("the shared, cacheable start of a rendered template", () => {
  it("runs up to the first value that changes per conversation, including workspace values", () => {
    const template = "You write training data for {business_name}. Rules: reply with JSON.\n\nPersona: {persona}\nMore.";
    const prefix = sharedTemplatePrefix(template, parameters, TEMPLATE_PARAMETER_SOURCES);
    expect(prefix).toBe("You write training data for Harbor & Pine. Rules: reply with JSON.\n\nPersona: ");
    expect(renderTemplate(template, parameters).text.startsWith(prefix)).toBe(true);
  });

  it("is empty when the template opens with a per-conversation value", () => {
    expect(sharedTemplatePrefix("{persona} asks about money.", parameters, TEMPLATE_PARAMETER_SOURCES)).toBe("");
  });
});
