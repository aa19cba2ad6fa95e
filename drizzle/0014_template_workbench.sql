ALTER TABLE "generation_logs" DROP CONSTRAINT "generation_logs_kind_check";--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "require_template_test" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "prompt_templates" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "prompt_templates" ADD COLUMN "applicable_personas" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "prompt_templates" ADD COLUMN "applicable_arcs" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "prompt_templates" ADD COLUMN "source_seed_id" uuid;--> statement-breakpoint
ALTER TABLE "prompt_templates" ADD COLUMN "seed_structure" jsonb;--> statement-breakpoint
ALTER TABLE "template_versions" ADD COLUMN "author" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "template_versions" ADD COLUMN "change_note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "template_versions" ADD COLUMN "last_test" jsonb;--> statement-breakpoint
ALTER TABLE "template_versions" ADD COLUMN "tested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "prompt_templates" ADD CONSTRAINT "prompt_templates_source_seed_id_conversations_id_fk" FOREIGN KEY ("source_seed_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
UPDATE "prompt_templates" SET "status" = 'inactive' WHERE "active" = false;--> statement-breakpoint
UPDATE "template_versions" SET "author" = 'import' WHERE "author" = '';--> statement-breakpoint
ALTER TABLE "prompt_templates" DROP COLUMN "active";--> statement-breakpoint
ALTER TABLE "generation_logs" ADD CONSTRAINT "generation_logs_kind_check" CHECK ("generation_logs"."kind" in ('generate', 'judge', 'template_test'));--> statement-breakpoint
ALTER TABLE "prompt_templates" ADD CONSTRAINT "prompt_templates_status_check" CHECK ("prompt_templates"."status" in ('draft', 'active', 'inactive'));