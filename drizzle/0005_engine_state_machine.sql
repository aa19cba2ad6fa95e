-- Data first, so the new CHECK constraints hold: the old kind (the selection's scope) moves into
-- the selection JSON and kind becomes live / batch; pause reasons only on paused runs; open runs
-- are paused (their items had no job id before this migration: resuming creates their jobs);
-- a conversation keeps at most one open item (the running one, else the newest run's).
UPDATE "generation_runs" SET "selection" = "selection" || jsonb_build_object('scope', "kind"), "kind" = CASE WHEN "selection"->>'mode' = 'batch' THEN 'batch' ELSE 'live' END;--> statement-breakpoint
UPDATE "generation_runs" SET "concurrency" = LEAST(GREATEST("concurrency", 1), 64);--> statement-breakpoint
UPDATE "generation_runs" SET "status" = 'paused' WHERE "status" = 'running';--> statement-breakpoint
UPDATE "generation_runs" SET "paused_reason" = NULL WHERE "status" <> 'paused';--> statement-breakpoint
UPDATE "generation_runs" SET "paused_reason" = 'user' WHERE "status" = 'paused' AND ("paused_reason" IS NULL OR "paused_reason" NOT IN ('user', 'spending_limit', 'provider_spend_limit'));--> statement-breakpoint
UPDATE "conversations" SET "status" = 'not_generated' WHERE "status" = 'generating';--> statement-breakpoint
UPDATE "generation_run_items" SET "state" = 'queued', "worker_id" = NULL, "started_at" = NULL WHERE "state" = 'running';--> statement-breakpoint
WITH "ranked" AS (
  SELECT "i"."id", row_number() OVER (PARTITION BY "i"."conversation_id" ORDER BY "r"."created_at" DESC, "i"."id") AS "rn"
  FROM "generation_run_items" "i" JOIN "generation_runs" "r" ON "r"."id" = "i"."run_id"
  WHERE "i"."state" = 'queued'
)
UPDATE "generation_run_items" SET "state" = 'cancelled', "finished_at" = now() WHERE "id" IN (SELECT "id" FROM "ranked" WHERE "rn" > 1);--> statement-breakpoint
ALTER TABLE "generation_run_items" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "generation_run_items" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "rate_limits" jsonb;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "batch_state" jsonb;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "concurrency" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "generation_run_items_open_conversation_unique" ON "generation_run_items" USING btree ("conversation_id") WHERE "generation_run_items"."state" in ('queued', 'running');--> statement-breakpoint
ALTER TABLE "generation_run_items" ADD CONSTRAINT "generation_run_items_state_check" CHECK ("generation_run_items"."state" in ('queued', 'running', 'succeeded', 'failed', 'cancelled'));--> statement-breakpoint
ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_status_check" CHECK ("generation_runs"."status" in ('running', 'paused', 'completed', 'completed_with_failures', 'failed', 'cancelled'));--> statement-breakpoint
ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_kind_check" CHECK ("generation_runs"."kind" in ('live', 'batch'));--> statement-breakpoint
ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_paused_reason_check" CHECK (("generation_runs"."status" = 'paused') = ("generation_runs"."paused_reason" is not null) and coalesce("generation_runs"."paused_reason" in ('user', 'spending_limit', 'provider_spend_limit'), true));--> statement-breakpoint
ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_concurrency_check" CHECK ("generation_runs"."concurrency" between 1 and 64);