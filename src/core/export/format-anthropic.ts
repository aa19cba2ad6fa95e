/**
 * Anthropic Claude fine-tuning on Amazon Bedrock (Claude 3 Haiku): JSONL, one
 * `{"system": "…", "messages":[{"role":"user",…},{"role":"assistant",…},…]}` object per line.
 *
 * Source: Anthropic Cookbook, "Finetuning Claude 3 Haiku on Bedrock"
 * (https://platform.claude.com/cookbook/finetuning-finetuning-on-bedrock,
 * anthropics/anthropic-cookbook finetuning/finetuning_on_bedrock.ipynb): "The system field is
 * optional. There must be at least two messages. The first message must be from the user. The
 * last message must be from the assistant. User and assistant messages must alternate. No
 * extraneous keys are allowed." See also Amazon Bedrock, "Prepare data for fine-tuning
 * text-to-text models" (https://docs.aws.amazon.com/bedrock/latest/userguide/preparing-text-data.html).
 */
import type { TurnRole } from "../../lib/constants";
import type { ExportConversation } from "../types";
import { hasText } from "./chat-messages";

/** One line of a Bedrock Claude fine-tuning file. `system` is absent when there is no system prompt. */
export interface BedrockClaudeRecord {
  system?: string;
  messages: Array<{ role: TurnRole; content: string }>;
}

/**
 * One conversation as a Bedrock Claude fine-tuning record: the system prompt in the top-level
 * `system` string (left out when blank; Bedrock rejects a `system` role inside `messages`), then
 * the turns as `messages`, unchanged and in order. Never throws; validate.ts judges the result.
 */
export function toBedrockClaudeRecord(conversation: ExportConversation): BedrockClaudeRecord {
  const messages = conversation.turns.map((turn) => ({ role: turn.role, content: turn.content }));
  return hasText(conversation.systemPrompt) ? { system: conversation.systemPrompt, messages } : { messages };
}
