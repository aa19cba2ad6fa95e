/**
 * Next.js instrumentation hook: `register()` runs once when a server instance starts. In the
 * Node.js runtime of a running server (not the edge runtime, not `next build`), it starts the
 * background work: database, first-run sample workspace, generation worker (src/server/background.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startBackground } = await import("./server/background");
  try {
    await startBackground();
  } catch (error) {
    // The server still starts and its pages say what is wrong (e.g. the CLI holds the embedded database).
    console.error(`[brightrun] The background work did not start: ${(error as Error).message}`);
  }
}
