"use client";
/**
 * Live progress of generation runs from their server-sent event streams
 * (`GET /api/runs/:id/events`, one `progress` event a second, `end` when finished). Progress is
 * stored in the database, so the streams pick up where a run is after the browser was closed
 * (US1.3.2, US2.1.2). A dropped stream is reopened after a short wait while the run is
 * unfinished; a server error (a `failure` event) or MAX_RECONNECTS drops in a row are shown to the
 * user with what to do instead of reconnecting in silence.
 */
import { useEffect, useRef, useState } from "react";
import type { RunProgress } from "@/lib/run-states";
import { useWorkspace } from "@/components/workspaces/workspace-provider";
import { workspacePaths } from "@/lib/workspace-paths";

/** Wait before reopening a dropped event stream, ms. */
const RECONNECT_MS = 3_000;
/** Reconnects in a row without a single event before the page says live progress is lost. */
const MAX_RECONNECTS = 3;

/** Per run: its latest progress, and why live progress stopped (null while it flows). */
export interface RunProgressStreams {
  progress: Record<string, RunProgress>;
  errors: Record<string, string>;
}

/**
 * @param runIds the runs to follow (order kept in the result).
 * @param initial progress already known (from the server render), shown until the first event.
 * @param onProgress called on every event (e.g. to refresh the table), with the run's progress.
 * @param onFinished called once per run when its `end` event arrives.
 */
export function useRunProgress({
  runIds,
  initial,
  onProgress,
  onFinished,
}: {
  runIds: string[];
  initial: RunProgress[];
  onProgress?: (progress: RunProgress) => void;
  onFinished?: (progress: RunProgress) => void;
}): RunProgressStreams {
  const { slug: workspaceSlug } = useWorkspace();
  const [byId, setById] = useState<Record<string, RunProgress>>(() => Object.fromEntries(initial.map((p) => [p.runId, p])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const callbacks = useRef({ onProgress, onFinished });
  useEffect(() => {
    callbacks.current = { onProgress, onFinished };
  });
  const key = runIds.join(",");

  useEffect(() => {
    const ids = key ? key.split(",") : [];
    const sources = new Map<string, EventSource>();
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const finished = new Set<string>();
    const drops = new Map<string, number>();
    let closed = false;
    const setError = (runId: string, message: string | null) =>
      setErrors((current) => {
        if ((current[runId] ?? null) === message) return current;
        const next = { ...current };
        if (message === null) delete next[runId];
        else next[runId] = message;
        return next;
      });

    const open = (runId: string) => {
      if (closed || finished.has(runId)) return;
      const source = new EventSource(workspacePaths(workspaceSlug).api.runEvents(runId));
      sources.set(runId, source);
      let last: RunProgress | null = null;
      source.addEventListener("progress", (event) => {
        const progress = JSON.parse((event as MessageEvent<string>).data) as RunProgress;
        last = progress;
        drops.set(runId, 0);
        setError(runId, null);
        setById((current) => ({ ...current, [runId]: progress }));
        callbacks.current.onProgress?.(progress);
      });
      source.addEventListener("end", () => {
        finished.add(runId);
        source.close();
        if (last) callbacks.current.onFinished?.(last);
      });
      // The server could not read the run's progress: say so, and try again later.
      source.addEventListener("failure", (event) => {
        const { message } = JSON.parse((event as MessageEvent<string>).data) as { message: string };
        setError(runId, `Live progress stopped: ${message} It will try again in ${RECONNECT_MS / 1000} s; the run itself goes on.`);
      });
      source.onerror = () => {
        source.close();
        if (closed || finished.has(runId)) return;
        const count = (drops.get(runId) ?? 0) + 1;
        drops.set(runId, count);
        if (count >= MAX_RECONNECTS) {
          setError(runId, "Live progress is not reaching this page: the server does not answer. The run goes on in the background if the server is running; reload the page to follow it again.");
          return;
        }
        const timer = setTimeout(() => {
          timers.delete(timer);
          open(runId);
        }, RECONNECT_MS);
        timers.add(timer);
      };
    };
    for (const id of ids) open(id);
    return () => {
      closed = true;
      for (const source of sources.values()) source.close();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [key, workspaceSlug]);

  return { progress: byId, errors };
}
