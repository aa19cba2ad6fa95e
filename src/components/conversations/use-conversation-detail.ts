"use client";
/**
 * Loads one conversation's detail from `GET /api/conversations/:conversationId` for the preview
 * panel and the quality / error dialogs. Client-side: the route checks the user and reads the
 * database; errors come back as `{ error: { code, message } }` and are shown as their message.
 */
import { useCallback, useEffect, useState } from "react";
import type { ConversationDetail } from "@/lib/dashboard-contract";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { workspacePaths } from "@/lib/workspace-paths";

/**
 * Fetches a conversation's detail; `asRead` (the preview) also records that someone read it (the
 * first-run checklist's "read").
 * @throws Error whose message is plain English: the route's message, or what to check when the
 *   server cannot be reached. An AbortError when `signal` aborts.
 */
export async function fetchConversationDetail(
  workspaceSlug: string,
  conversationId: string,
  signal?: AbortSignal,
  options: { asRead?: boolean } = {},
): Promise<ConversationDetail> {
  let response: Response;
  const url = workspacePaths(workspaceSlug).api.conversation(conversationId);
  try {
    response = await fetch(options.asRead ? `${url}?read=1` : url, { cache: "no-store", signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error("Could not reach the Bright Run server. Check that it is still running, then try again.");
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    throw new Error(typeof message === "string" && message ? message : `Could not load ${conversationId} (HTTP ${response.status}).`);
  }
  return body as ConversationDetail;
}

export interface ConversationDetailState {
  /** The detail; while reloading the same conversation, the previous one stays here. */
  detail: ConversationDetail | null;
  /** True until the first answer for this conversation arrives (show a skeleton). */
  loading: boolean;
  /** True while a reload of an already shown conversation runs. */
  refreshing: boolean;
  /** Plain-English reason the last load failed, null otherwise. */
  error: string | null;
  /** Loads the detail again (after an approve, a retry…). */
  reload: () => void;
}

type Answer = { key: string; conversationId: string; detail: ConversationDetail | null; error: string | null };

/**
 * The detail of `conversationId`, fetched whenever the id changes or `reload()` is called, and
 * only while `enabled` (a closed dialog fetches nothing). Stale answers (an earlier id) are dropped.
 */
export function useConversationDetail(conversationId: string | null, enabled = true, options: { asRead?: boolean } = {}): ConversationDetailState {
  const asRead = options.asRead ?? false;
  const { slug: workspaceSlug } = useWorkspace();
  const [generation, setGeneration] = useState(0);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const key = enabled && conversationId ? `${conversationId}#${generation}` : null;

  useEffect(() => {
    if (!key || !conversationId) return;
    const controller = new AbortController();
    fetchConversationDetail(workspaceSlug, conversationId, controller.signal, { asRead }).then(
      (detail) => {
        if (!controller.signal.aborted) setAnswer({ key, conversationId, detail, error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setAnswer({ key, conversationId, detail: null, error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [key, conversationId, workspaceSlug, asRead]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  const sameConversation = answer !== null && answer.conversationId === conversationId;
  const current = sameConversation && answer.key === key;
  const lastDetail = sameConversation ? answer.detail : null;
  return {
    detail: lastDetail,
    loading: key !== null && !current && lastDetail === null,
    refreshing: key !== null && !current && lastDetail !== null,
    error: current ? answer.error : null,
    reload,
  };
}
