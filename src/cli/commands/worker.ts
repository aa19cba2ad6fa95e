import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { loadPriceOverrides } from "../../core/cost/prices";
import { loadRetryPolicy } from "../../core/generation/retry-policy";
import { selectProvider } from "../../core/llm/select-provider";
import { startBoss } from "../../server/jobs/boss";
import { GenerationWorker } from "../../server/jobs/generation-worker";
import { commonArgs, note, say, withDatabase } from "../context";

export default defineCommand({
  meta: {
    name: "worker",
    description: "Run a generation worker until stopped (Ctrl-C). With DATABASE_URL, start as many as you like, on any hosts, against one PostgreSQL.",
  },
  args: {
    ...commonArgs,
    concurrency: { type: "string", description: "Most conversations this worker generates at the same time.", default: "4", valueHint: "N" },
  },
  async run({ args }) {
    const concurrency = Number(args.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new AppError("argument_invalid", "--concurrency must be a whole number from 1 to 64.");
    await withDatabase({ dataDir: args["data-dir"], permission: "generate" }, async ({ handle, user }) => {
      const boss = await startBoss(handle, (error) => note(`queue: ${error.message}`));
      const worker = new GenerationWorker({
        handle,
        boss,
        providerFor: (run) => selectProvider({ env: process.env, flags: { provider: run.provider, model: run.model } }),
        userId: user.id,
        maxConcurrency: concurrency,
        priceOverrides: loadPriceOverrides(process.env),
        retryPolicy: loadRetryPolicy(process.env),
        log: (line) => note(`[${new Date().toISOString()}] ${line}`),
        onOutcome: (o) => note(`[${new Date().toISOString()}] ${o.conversationId}: ${o.status}${o.qualityScore !== null ? ` (quality ${o.qualityScore})` : o.error ? ` (${o.error.message})` : ""}`),
      });
      await worker.start();
      say(`Worker ${worker.id} started (${handle.kind === "pglite" ? "embedded database" : "PostgreSQL"}); Ctrl-C stops it after the conversations in flight.`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      note("Stopping: finishing the conversations in flight…");
      await worker.stop();
      await boss.stop({ graceful: false, wait: true, close: false } as never).catch(() => undefined);
    });
  },
});
