/**
 * The role/content message list shared by the OpenAI and Hugging Face exports.
 */
import type { ExportConversation } from "../types";

/** A chat message in the OpenAI-style `messages` list (also what Hugging Face chat templates read). */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** True when the text has at least one non-space character. */
export function hasText(value: string | null | undefined): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

/**
 * The conversation as `[system?, user, assistant, …]`: the training system prompt first when it
 * is not blank, then every turn in order, unchanged. Blank system prompts are left out rather
 * than sent as an empty system message.
 */
export function toChatMessages(conversation: ExportConversation): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (hasText(conversation.systemPrompt)) messages.push({ role: "system", content: conversation.systemPrompt });
  for (const turn of conversation.turns) messages.push({ role: turn.role, content: turn.content });
  return messages;
}
