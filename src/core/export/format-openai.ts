/**
 * OpenAI chat fine-tuning format: JSONL, one `{"messages":[…]}` object per line.
 *
 * Source: OpenAI fine-tuning guide, "Preparing your dataset"
 * (https://platform.openai.com/docs/guides/fine-tuning) and the OpenAI Cookbook notebook
 * "Data preparation and analysis for chat model fine-tuning"
 * (https://cookbook.openai.com/examples/chat_finetuning_data_prep,
 * openai/openai-cookbook examples/Chat_finetuning_data_prep.ipynb), whose checks
 * `validateOpenAiChatRecord` in validate.ts ports.
 */
import type { ExportConversation } from "../types";
import { toChatMessages, type ChatMessage } from "./chat-messages";

/** One line of an OpenAI chat fine-tuning file. */
export interface OpenAiChatRecord {
  messages: ChatMessage[];
}

/**
 * One conversation as an OpenAI chat fine-tuning example:
 * `{"messages":[{"role":"system","content":systemPrompt},{"role":"user",…},{"role":"assistant",…},…]}`.
 * The system message is left out when the conversation's system prompt is blank. No other keys
 * are added: the fine-tuning API reads `messages` only. Never throws; validate.ts judges the result.
 */
export function toOpenAiChatRecord(conversation: ExportConversation): OpenAiChatRecord {
  return { messages: toChatMessages(conversation) };
}
