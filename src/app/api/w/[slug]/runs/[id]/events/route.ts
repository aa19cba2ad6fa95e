import { isAppError } from "@/core/errors";
import { httpStatusFor } from "@/server/errors";
import { loadRunProgress } from "@/server/run-events";

export const dynamic = "force-dynamic";

/** How often progress is read and sent while the run is going (FR4.4.1: "every 2-5 seconds" at most). */
const INTERVAL_MS = 1_000;

/**
 * GET /api/w/:slug/runs/:id/events — server-sent events: a `progress` event with the run's RunProgress
 * now and every second while it runs, then a final `end` event when it has finished. When reading
 * the progress fails midway, a `failure` event carries the plain-English reason and the stream
 * ends (the page shows it). The connection closes when the run finishes or the client goes away.
 * A bad id answers 400, an unknown run 404, before the stream starts.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  let first;
  try {
    first = await loadRunProgress(slug, id);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return Response.json({ error: { code: error.code, message: error.message } }, { status: httpStatusFor(error) });
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      let progress = first;
      try {
        for (;;) {
          send("progress", progress);
          if (progress.finished) {
            send("end", { status: progress.status });
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
          if (request.signal.aborted) break;
          progress = await loadRunProgress(slug, id);
        }
      } catch (error) {
        console.error(`[brightrun] progress stream of run ${id}: ${(error as Error).message}`);
        send("failure", { message: isAppError(error) ? error.message : "The server could not read the run's progress from the database." });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive" },
  });
}
