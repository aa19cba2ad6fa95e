import type { ProviderSelection } from "../core/llm/select-provider";

/** The line every generating command prints, so nobody mistakes simulated output for a model's. */
export function describeProvider(selection: ProviderSelection): string {
  if (!selection.provider.isLanguageModel) {
    return `Provider: simulated (NOT a language model). Why: ${selection.reason}. Conversations are composed from your documents and taxonomy so you can try the pipeline; set ANTHROPIC_API_KEY or OPENAI_API_KEY to use a real model.`;
  }
  return `Provider: ${selection.provider.name}, model ${selection.model} (${selection.reason}).`;
}
