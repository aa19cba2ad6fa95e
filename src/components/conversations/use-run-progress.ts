"use client";
/**
 * Live progress of generation runs from their server-sent event streams
 * (`GET /api/runs/:id/events`, one `progress` event a second, `end` when finished). Progress is
 * stored in the database, so the streams pick up where a run is after the browser was closed
 * (US1.3.2, US2.1.2). A dropped stream is reopened after a short wait while the run is unfinished.
 */
import { useEffect, useRef, useState } from "react";
import type { RunProgress } from "@/lib/run-states";

/** Wait before reopening a dropped event stream, ms. */
const RECONNECT_MS = 3_000;

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
}): Record<string, RunProgress> {
  const [byId, setById] = useState<Record<string, RunProgress>>(() => Object.fromEntries(initial.map((p) => [p.runId, p])));
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
    let closed = false;

    const open = (runId: string) => {
      if (closed || finished.has(runId)) return;
      const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
      sources.set(runId, source);
      let last: RunProgress | null = null;
      source.addEventListener("progress", (event) => {
        const progress = JSON.parse((event as MessageEvent<string>).data) as RunProgress;
        last = progress;
        setById((current) => ({ ...current, [runId]: progress }));
        callbacks.current.onProgress?.(progress);
      });
      source.addEventListener("end", () => {
        finished.add(runId);
        source.close();
        if (last) callbacks.current.onFinished?.(last);
      });
      source.onerror = () => {
        source.close();
        if (closed || finished.has(runId)) return;
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
  }, [key]);

  return byId;
}
