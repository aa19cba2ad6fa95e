import { defineCommand } from "citty";
import { AppError } from "../../core/errors";
import { startGenerationWorker } from "../../server/runs/start-worker";
import { startEmailWorker } from "../../server/jobs/email-job";
import { startDailySummarySchedule } from "../../server/jobs/daily-summary-job";
import { MAX_WORKER_CONCURRENCY } from "../../server/runs/worker";
import { commonArgs, note, say, withDatabase } from "../context";

export default defineCommand({
  meta: {
    name: "worker",
    description:
      "Run a generation worker until stopped (Ctrl-C). With DATABASE_URL, start as many as you like, on any hosts, against one PostgreSQL. Each run keeps to its own concurrency; --concurrency caps this process.",
  },
  args: {
    ...commonArgs,
    concurrency: {
      type: "string",
      description: `Most conversations this worker generates at the same time over all runs (1-${MAX_WORKER_CONCURRENCY}; default $BRIGHTRUN_WORKER_CONCURRENCY or 16).`,
      valueHint: "N",
    },
  },
  async run({ args }) {
    await withDatabase({ dataDir: args["data-dir"], permission: "generate" }, async ({ handle, user, settings }) => {
      const ceiling = args.concurrency === undefined ? settings.workerConcurrency : Number(args.concurrency);
      if (!Number.isInteger(ceiling) || ceiling < 1 || ceiling > MAX_WORKER_CONCURRENCY) {
        throw new AppError("argument_invalid", `--concurrency must be a whole number from 1 to ${MAX_WORKER_CONCURRENCY}.`);
      }
      const stamp = () => new Date().toISOString();
      const started = await startGenerationWorker({
        handle,
        userId: user.id,
        settings,
        ceiling,
        log: (line) => note(`[${stamp()}] ${line}`),
        onOutcome: (o) => note(`[${stamp()}] ${o.conversationId}: ${o.status}${o.qualityScore !== null ? ` (quality ${o.qualityScore})` : o.error ? ` (${o.error.message})` : ""}`),
      });
      // Run e-mails ("E-mail me when it finishes") are sent by whichever process works the e-mail queue: this one too.
      const email = await startEmailWorker({ handle, log: (line) => note(`[${stamp()}] ${line}`) }).catch(async (error: Error) => {
        await started.stop();
        throw error;
      });
      // So does the daily summary e-mail's schedule (once a day across every process on the database).
      const dailySummary = await startDailySummarySchedule({ handle, log: (line) => note(`[${stamp()}] ${line}`) }).catch(async (error: Error) => {
        await email.stop();
        await started.stop();
        throw error;
      });
      say(`Worker ${started.worker.id} started (${handle.kind === "pglite" ? "embedded database" : "PostgreSQL"}, up to ${ceiling} conversations at once); Ctrl-C stops it after the conversations in flight.`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      note("Stopping: finishing the conversations in flight (Ctrl-C again hands them back to the queue)…");
      const abort = () => void started.worker.stop({ abort: true });
      process.once("SIGINT", abort);
      await started.stop();
      await email.stop();
      await dailySummary.stop();
      process.removeListener("SIGINT", abort);
    });
  },
});
