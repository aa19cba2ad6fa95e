CREATE TABLE "coverage_suggestion_states" (
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"state" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coverage_suggestion_states_pkey" PRIMARY KEY("workspace_id","kind","key"),
	CONSTRAINT "coverage_suggestion_states_kind_check" CHECK ("coverage_suggestion_states"."kind" in ('recommendation', 'edge_case')),
	CONSTRAINT "coverage_suggestion_states_state_check" CHECK ("coverage_suggestion_states"."state" in ('dismissed', 'done'))
);
--> statement-breakpoint
CREATE TABLE "query_timings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid,
	"kind" text NOT NULL,
	"duration_ms" double precision NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "generation_logs" ALTER COLUMN "request_payload" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "monthly_budget_usd" double precision;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "generation_log_retention_days" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "export_retention_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "payload_retention_days" integer;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "redact_pii" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_logs" ADD COLUMN "payloads_dropped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "coverage_suggestion_states" ADD CONSTRAINT "coverage_suggestion_states_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_timings" ADD CONSTRAINT "query_timings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "query_timings_kind_recorded_idx" ON "query_timings" USING btree ("kind","recorded_at");--> statement-breakpoint
CREATE INDEX "query_timings_recorded_idx" ON "query_timings" USING btree ("recorded_at");