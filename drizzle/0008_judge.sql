ALTER TABLE "conversations" ADD COLUMN "judge_score" double precision;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "judge_breakdown" jsonb;--> statement-breakpoint
ALTER TABLE "generation_logs" ADD COLUMN "kind" text DEFAULT 'generate' NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "purpose" text DEFAULT 'generate' NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "judge_model" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_judge_score_check" CHECK ("conversations"."judge_score" is null or ("conversations"."judge_score" >= 1 and "conversations"."judge_score" <= 10));--> statement-breakpoint
ALTER TABLE "generation_logs" ADD CONSTRAINT "generation_logs_kind_check" CHECK ("generation_logs"."kind" in ('generate', 'judge'));--> statement-breakpoint
ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_purpose_check" CHECK ("generation_runs"."purpose" in ('generate', 'judge'));--> statement-breakpoint
ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_judge_model_check" CHECK ("generation_runs"."purpose" <> 'judge' or "generation_runs"."judge_model" is not null);