/**
 * The checks against the model that will be fine-tuned: each record rendered through the
 * model's chat template (failures reported per record) and its tokens counted against the
 * model's context length. See docs/dataset-checks.md, "Token counts" and "Chat-template render".
 */
import { AppError } from "../../errors";
import type { ExportConversation } from "../../types";
import { toChatMessages, type ChatMessage } from "../chat-messages";
import { loadTargetModel, type LoadedTargetModel, type TargetFamily } from "./target-models";

/** The model to check against. */
export interface TargetSettings {
  family: TargetFamily;
  /** Overrides the family's default context length (tokens), e.g. 32768 for Gemma 3 1B. A whole number ≥ 256. */
  contextLength?: number;
}

/** Stable codes of a render problem. */
export type RenderProblemCode = "roles_out_of_order" | "ends_with_user" | "empty_turn" | "special_token_in_content" | "content_dropped" | "template_error";

export interface RenderProblem {
  code: RenderProblemCode;
  /** 1-based position in the record's message list (the system prompt, when there is one, is message 1), or null for the record as a whole. */
  message: number | null;
  /** Plain English: what is wrong and what to do. */
  text: string;
}

export interface RecordTokenCount {
  conversationId: string;
  /** Tokens of the whole record as the model sees it. */
  tokens: number;
  /** "chat_template" when the rendered template was counted; "messages" when the family publishes no template or the render failed. */
  countedFrom: "chat_template" | "messages";
  overContext: boolean;
}

export interface TokenCountReport {
  family: TargetFamily;
  modelLabel: string;
  tokenizerPackage: string;
  /** False when the tokenizer is an approximation of the model's (Claude). */
  exactTokenizer: boolean;
  countingNote: string;
  /** Tokens; the family default unless the user set one. */
  contextLength: number;
  contextLengthSource: string;
  records: RecordTokenCount[];
  /** Over all records, in tokens. */
  stats: { records: number; total: number; min: number; max: number; mean: number; median: number; p95: number };
  overContextConversationIds: string[];
  messages: string[];
}

export interface RecordRenderResult {
  conversationId: string;
  problems: RenderProblem[];
}

export interface TemplateRenderReport {
  family: TargetFamily;
  /** False when the vendor publishes no chat template (GPT, Claude): nothing was rendered. */
  available: boolean;
  /** Where the template comes from, or why there is none. */
  source: string;
  rendered: number;
  failed: number;
  /** Only the records with problems, in input order. */
  failures: RecordRenderResult[];
  /** The first record that rendered, exactly as the model sees it (for the dialog's preview), or null. */
  preview: { conversationId: string; text: string } | null;
  messages: string[];
}

const ROLE_NAMES: Record<string, string> = { system: "system prompt", user: "user", assistant: "assistant" };

/** Rules every family's training records follow, checked before rendering (Llama 3's template itself accepts any order). */
function structuralProblems(messages: readonly ChatMessage[], model: LoadedTargetModel): RenderProblem[] {
  const problems: RenderProblem[] = [];
  const label = model.info.label;
  let expected: "user" | "assistant" = "user";
  messages.forEach((message, index) => {
    const position = index + 1;
    if (message.role === "system") {
      if (index !== 0) {
        problems.push({ code: "roles_out_of_order", message: position, text: `Message ${position} is a system prompt in the middle of the conversation; ${label} expects the system prompt first, at most once.` });
      }
      return;
    }
    if (message.role !== expected) {
      problems.push({
        code: "roles_out_of_order",
        message: position,
        text: `Message ${position} is from the ${ROLE_NAMES[message.role] ?? message.role} but should be from the ${expected}: ${label} expects user and assistant turns to alternate, starting with the user. Fix the turn order or regenerate the conversation.`,
      });
    }
    expected = message.role === "user" ? "assistant" : "user";
    if (message.content.trim().length === 0) {
      problems.push({ code: "empty_turn", message: position, text: `Message ${position} (${ROLE_NAMES[message.role] ?? message.role}) is empty; the model would learn an empty turn. Edit or remove it.` });
    }
  });
  const last = messages[messages.length - 1];
  if (last && last.role !== "assistant") {
    problems.push({ code: "ends_with_user", message: messages.length, text: `The record ends with a ${ROLE_NAMES[last.role] ?? last.role} message, so its last turn teaches nothing; end it with an assistant answer.` });
  }
  if (model.specialTokens.length > 0) {
    messages.forEach((message, index) => {
      if (!message.content.includes("<")) return;
      const found = model.specialTokens.find((token) => message.content.includes(token));
      if (found) {
        problems.push({
          code: "special_token_in_content",
          message: index + 1,
          text: `Message ${index + 1} contains the text ${found}, which ${label}'s tokenizer reads as a control token, not as words; remove it from the turn.`,
        });
      }
    });
  }
  return problems;
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

/**
 * Renders each conversation through the target model's chat template and counts its tokens.
 *
 * - Record: the conversation as the exporters write it (`toChatMessages`: the system prompt
 *   when not blank, then the turns), rendered with `add_generation_prompt` false, as for training.
 * - Render problems per record: roles out of order, a system prompt not first, an empty turn, a
 *   record ending on a user turn, text that the tokenizer would read as a control token, a
 *   message that the template dropped from the output, and any error the template raises
 *   (Gemma 3's raises on roles that do not alternate).
 * - Tokens: of the rendered text when it rendered, else of the messages
 *   (`LoadedTargetModel.countMessages`); flagged when above the context length.
 * - Sources of tokenizers, templates and context lengths: TARGET_MODELS (target-models.ts).
 *
 * Throws AppError `invalid_dataset_check_settings` for a bad context length, and what
 * `loadTargetModel` throws (`unknown_target_model`, `tokenizer_unavailable`).
 */
export async function checkAgainstTarget(
  conversations: readonly ExportConversation[],
  target: TargetSettings,
): Promise<{ tokens: TokenCountReport; templateRender: TemplateRenderReport }> {
  if (target.contextLength !== undefined && !(Number.isInteger(target.contextLength) && target.contextLength >= 256)) {
    throw new AppError("invalid_dataset_check_settings", `The context length must be a whole number of tokens, at least 256 (for example 8192); got ${target.contextLength}.`, {
      detail: { contextLength: target.contextLength },
    });
  }
  const model = await loadTargetModel(target.family);
  const info = model.info;
  const contextLength = target.contextLength ?? info.contextLength;

  const records: RecordTokenCount[] = [];
  const failures: RecordRenderResult[] = [];
  let preview: TemplateRenderReport["preview"] = null;
  for (const conversation of conversations) {
    const messages = toChatMessages(conversation);
    let rendered: string | null = null;
    if (model.render) {
      const problems = structuralProblems(messages, model);
      try {
        rendered = model.render(messages);
      } catch (error) {
        problems.push({
          code: "template_error",
          message: null,
          text: `${info.label}'s chat template refused this record: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      if (rendered !== null) {
        const output = rendered;
        messages.forEach((message, index) => {
          const text = message.content.trim();
          if (text.length > 0 && !output.includes(text)) {
            problems.push({ code: "content_dropped", message: index + 1, text: `${info.label}'s chat template left message ${index + 1} (${ROLE_NAMES[message.role] ?? message.role}) out of the rendered record; the model would never see it.` });
          }
        });
        if (preview === null) preview = { conversationId: conversation.conversationId, text: output };
      }
      if (problems.length > 0) failures.push({ conversationId: conversation.conversationId, problems });
    }
    const tokens = rendered !== null ? model.countText(rendered) : model.countMessages(messages);
    records.push({ conversationId: conversation.conversationId, tokens, countedFrom: rendered !== null ? "chat_template" : "messages", overContext: tokens > contextLength });
  }

  const counts = records.map((record) => record.tokens).sort((a, b) => a - b);
  const total = counts.reduce((sum, count) => sum + count, 0);
  const overContext = records.filter((record) => record.overContext).map((record) => record.conversationId);
  const tokenMessages: string[] = [];
  if (overContext.length > 0) {
    tokenMessages.push(
      `${overContext.length} ${overContext.length === 1 ? "record is" : "records are"} longer than ${info.label}'s context length of ${contextLength.toLocaleString("en-US")} tokens and would be cut off in training; shorten or leave out ${overContext.length === 1 ? "it" : "them"}.`,
    );
  }
  if (!info.exactTokenizer) tokenMessages.push(`Token counts for ${info.label} are approximate: ${info.countingNote}`);

  const templateMessages: string[] = [];
  if (!model.render) {
    templateMessages.push(`${info.label} has no published chat template, so records were not rendered; the export's format checks still apply.`);
  } else if (failures.length > 0) {
    templateMessages.push(`${failures.length} of ${conversations.length} ${conversations.length === 1 ? "record does" : "records do"} not render cleanly through ${info.label}'s chat template; see each record's problems.`);
  }

  return {
    tokens: {
      family: info.family,
      modelLabel: info.label,
      tokenizerPackage: info.tokenizerPackage,
      exactTokenizer: info.exactTokenizer,
      countingNote: info.countingNote,
      contextLength,
      contextLengthSource: target.contextLength !== undefined ? "set for this export" : info.contextLengthSource,
      records,
      stats: {
        records: counts.length,
        total,
        min: counts[0] ?? 0,
        max: counts[counts.length - 1] ?? 0,
        mean: counts.length === 0 ? 0 : Math.round(total / counts.length),
        median: percentile(counts, 0.5),
        p95: percentile(counts, 0.95),
      },
      overContextConversationIds: overContext,
      messages: tokenMessages,
    },
    templateRender: {
      family: info.family,
      available: model.render !== null,
      source: info.chatTemplateSource ?? `${info.label}'s vendor publishes no chat template.`,
      rendered: model.render ? conversations.length - failures.filter((failure) => failure.problems.some((problem) => problem.code === "template_error")).length : 0,
      failed: failures.length,
      failures,
      preview,
      messages: templateMessages,
    },
  };
}
