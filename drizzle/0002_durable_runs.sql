CREATE TABLE "generation_run_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"worker_id" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "workers" (
	"id" text PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "cancel_requested" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "budget_usd" numeric(14, 6);--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "reserved_usd" numeric(14, 6) DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "estimate" jsonb;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "throttle" jsonb;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_run_items" ADD CONSTRAINT "generation_run_items_run_id_generation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."generation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_run_items" ADD CONSTRAINT "generation_run_items_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "generation_run_items_run_conversation_unique" ON "generation_run_items" USING btree ("run_id","conversation_id");--> statement-breakpoint
CREATE INDEX "generation_run_items_state_idx" ON "generation_run_items" USING btree ("run_id","state");