ALTER TABLE "review_logs" DROP CONSTRAINT "review_logs_action_check";--> statement-breakpoint
ALTER TABLE "review_logs" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
ALTER TABLE "review_logs" ADD COLUMN "previous_review" jsonb;--> statement-breakpoint
CREATE INDEX "review_logs_batch_idx" ON "review_logs" USING btree ("batch_id");--> statement-breakpoint
ALTER TABLE "review_logs" ADD CONSTRAINT "review_logs_action_check" CHECK ("review_logs"."action" in ('approve', 'reject', 'undo'));