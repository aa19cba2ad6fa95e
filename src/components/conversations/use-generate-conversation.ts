"use client";
/**
 * Generates (or retries) one conversation from the browser (US2.2.2 Retry, the preview's Generate):
 * starts a run for it with startGenerationAction, follows the run through `GET /api/runs/:runId`
 * until it finishes, then toasts the outcome — the quality score, or the error with a Retry action.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import type { StartGenerationInput } from "@/lib/dashboard-contract";
import { startGenerationAction } from "@/server/actions/generation";
import { fetchConversationDetail } from "./use-conversation-detail";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { workspacePaths } from "@/lib/workspace-paths";

/** How often the run's progress is read while it runs, ms. */
const POLL_INTERVAL_MS = 1_500;
/** Stop following a run after this long (it keeps running on the server), ms. */
const FOLLOW_LIMIT_MS = 15 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads `GET /api/runs/:runId` until `finished`; false when it gave up (limit reached, or unmounted). */
async function waitForRun(workspaceSlug: string, runId: string, alive: () => boolean): Promise<boolean> {
  const started = Date.now();
  let failures = 0;
  while (alive() && Date.now() - started < FOLLOW_LIMIT_MS) {
    await sleep(POLL_INTERVAL_MS);
    try {
      const response = await fetch(workspacePaths(workspaceSlug).api.run(runId), { cache: "no-store" });
      if (response.ok) {
        const progress = (await response.json()) as { finished?: boolean };
        failures = 0;
        if (progress.finished) return true;
      } else if (++failures >= 5) return false;
    } catch {
      if (++failures >= 5) return false;
    }
  }
  return false;
}

export interface GenerateConversationOptions {
  /** Called when the run has started and again when it has finished (refresh the table, reload the detail). */
  onChange?: (conversationId: string) => void;
}

/**
 * `generate(conversationId)` starts the generation and resolves when it has finished (or could not
 * start); `generatingId` is the conversation being generated, null when none. Never throws:
 * every failure is a toast saying what happened.
 */
export function useGenerateConversation({ onChange }: GenerateConversationOptions = {}) {
  const { slug: workspaceSlug } = useWorkspace();
  const [generatingId, setGeneratingId] = useState<string | null>(null);
  const mounted = useRef(true);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const generate = useCallback(async function run(conversationId: string): Promise<void> {
    setGeneratingId(conversationId);
    const retry = { label: "Retry", onClick: () => void run(conversationId) };
    try {
      const result = await startGenerationAction(workspaceSlug, { scope: { kind: "target", target: { ids: [conversationId] } } } satisfies StartGenerationInput);
      if (!result.ok) {
        toast.error(`Could not start generating ${conversationId}`, {
          description: result.error.message,
          action: result.error.retryable ? retry : undefined,
        });
        return;
      }
      if (!result.data.runId) {
        const reason = result.data.skipped.find((s) => s.conversationId === conversationId)?.reason ?? result.data.skipped[0]?.reason;
        toast.error(`${conversationId} was not generated`, { description: reason ? `Skipped: ${reason}.` : "There was nothing to generate." });
        return;
      }
      onChangeRef.current?.(conversationId);
      const finished = await waitForRun(workspaceSlug, result.data.runId, () => mounted.current);
      if (!finished) {
        if (mounted.current) toast.info(`${conversationId} is still generating`, { description: "It keeps going in the background; the table shows it when it is done." });
        return;
      }
      const detail = await fetchConversationDetail(workspaceSlug, conversationId).catch(() => null);
      if (!detail) {
        toast.success(`Generation of ${conversationId} finished`);
      } else if (detail.status === "failed") {
        toast.error(`${conversationId} failed`, { description: detail.lastError?.message ?? "The generation failed.", action: retry });
      } else if (detail.status === "not_generated" || detail.status === "generating") {
        toast.info(`${conversationId} was not generated`, { description: "The run ended before it was generated (cancelled or paused)." });
      } else {
        const score = detail.qualityScore === null ? "" : ` — quality ${detail.qualityScore.toFixed(1)}/10`;
        toast.success(`Generated ${conversationId}${score}`);
      }
      onChangeRef.current?.(conversationId);
    } catch (error) {
      // A server action that could not be reached (network, server restarted).
      toast.error(`Could not generate ${conversationId}`, { description: error instanceof Error ? error.message : String(error), action: retry });
    } finally {
      if (mounted.current) setGeneratingId((current) => (current === conversationId ? null : current));
    }
  }, [workspaceSlug]);

  return { generate, generatingId };
}
