-- Workspaces (issue 9 item 1): every business row gets a workspace_id. Data that existed before
-- (one business per data directory) moves into one workspace: the old "workspace" row when there is
-- one (the bundled sample when its business name matches), else "My workspace" when any data exists.
CREATE TABLE "workspaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"business_name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"training_system_prompt" text NOT NULL,
	"tier_split" jsonb,
	"is_sample" boolean DEFAULT false NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_slug_unique" UNIQUE("slug")
);--> statement-breakpoint
INSERT INTO "workspaces" ("slug", "name", "business_name", "description", "training_system_prompt", "tier_split", "is_sample", "created_at", "updated_at")
SELECT
	CASE WHEN "business_name" = 'Harbor & Pine Financial Planning' THEN 'harbor-pine-sample'
	ELSE coalesce(nullif(trim(both '-' from lower(regexp_replace("business_name", '[^a-zA-Z0-9]+', '-', 'g'))), ''), 'workspace') END,
	CASE WHEN "business_name" = 'Harbor & Pine Financial Planning' THEN 'Harbor & Pine Financial Planning — sample' ELSE "business_name" END,
	"business_name", "description", "training_system_prompt", "tier_split",
	"business_name" = 'Harbor & Pine Financial Planning', "created_at", "updated_at"
FROM "workspace" WHERE "id" = 1;--> statement-breakpoint
INSERT INTO "workspaces" ("slug", "name", "business_name", "training_system_prompt")
SELECT 'my-workspace', 'My workspace', 'My business', ''
WHERE NOT EXISTS (SELECT 1 FROM "workspaces") AND (EXISTS (SELECT 1 FROM "documents") OR EXISTS (SELECT 1 FROM "chunks") OR EXISTS (SELECT 1 FROM "personas") OR EXISTS (SELECT 1 FROM "emotional_arcs") OR EXISTS (SELECT 1 FROM "topics") OR EXISTS (SELECT 1 FROM "intents") OR EXISTS (SELECT 1 FROM "tones") OR EXISTS (SELECT 1 FROM "edge_case_categories") OR EXISTS (SELECT 1 FROM "scenarios") OR EXISTS (SELECT 1 FROM "prompt_templates") OR EXISTS (SELECT 1 FROM "generation_runs") OR EXISTS (SELECT 1 FROM "conversations") OR EXISTS (SELECT 1 FROM "generation_logs") OR EXISTS (SELECT 1 FROM "review_logs") OR EXISTS (SELECT 1 FROM "export_logs") OR EXISTS (SELECT 1 FROM "export_presets") OR EXISTS (SELECT 1 FROM "model_settings"));--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "documents" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "documents" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chunks" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "chunks" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "chunks" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personas" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "personas" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "personas" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "personas" ADD CONSTRAINT "personas_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emotional_arcs" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "emotional_arcs" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "emotional_arcs" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "emotional_arcs" ADD CONSTRAINT "emotional_arcs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "topics" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "topics" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intents" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "intents" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "intents" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "intents" ADD CONSTRAINT "intents_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tones" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "tones" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "tones" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tones" ADD CONSTRAINT "tones_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "edge_case_categories" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "edge_case_categories" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "edge_case_categories" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "edge_case_categories" ADD CONSTRAINT "edge_case_categories_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenarios" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "scenarios" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "scenarios" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "scenarios" ADD CONSTRAINT "scenarios_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_templates" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "prompt_templates" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "prompt_templates" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "prompt_templates" ADD CONSTRAINT "prompt_templates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "generation_runs" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "generation_runs" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_runs" ADD CONSTRAINT "generation_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "conversations" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_logs" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "generation_logs" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "generation_logs" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "generation_logs" ADD CONSTRAINT "generation_logs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_logs" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "review_logs" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "review_logs" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "review_logs" ADD CONSTRAINT "review_logs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_logs" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "export_logs" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "export_logs" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "export_logs" ADD CONSTRAINT "export_logs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_presets" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "export_presets" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
ALTER TABLE "export_presets" ALTER COLUMN "workspace_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "export_presets" ADD CONSTRAINT "export_presets_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_settings" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
UPDATE "model_settings" SET "workspace_id" = (SELECT "id" FROM "workspaces" LIMIT 1);--> statement-breakpoint
DELETE FROM "model_settings" WHERE "scope" <> 'default';--> statement-breakpoint
ALTER TABLE "model_settings" DROP CONSTRAINT "model_settings_pkey";--> statement-breakpoint
ALTER TABLE "model_settings" DROP COLUMN "scope";--> statement-breakpoint
ALTER TABLE "model_settings" ADD PRIMARY KEY ("workspace_id");--> statement-breakpoint
ALTER TABLE "model_settings" ADD CONSTRAINT "model_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenarios" DROP CONSTRAINT "scenarios_persona_key_personas_key_fk";--> statement-breakpoint
ALTER TABLE "scenarios" DROP CONSTRAINT "scenarios_emotional_arc_key_emotional_arcs_key_fk";--> statement-breakpoint
ALTER TABLE "scenarios" DROP CONSTRAINT "scenarios_topic_key_topics_key_fk";--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_persona_personas_key_fk";--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_emotion_emotional_arcs_key_fk";--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_topic_topics_key_fk";--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_intent_intents_key_fk";--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_tone_tones_key_fk";--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_edge_case_category_edge_case_categories_key_fk";--> statement-breakpoint
ALTER TABLE "personas" DROP CONSTRAINT "personas_pkey";--> statement-breakpoint
ALTER TABLE "personas" ADD CONSTRAINT "personas_pkey" PRIMARY KEY("workspace_id","key");--> statement-breakpoint
ALTER TABLE "emotional_arcs" DROP CONSTRAINT "emotional_arcs_pkey";--> statement-breakpoint
ALTER TABLE "emotional_arcs" ADD CONSTRAINT "emotional_arcs_pkey" PRIMARY KEY("workspace_id","key");--> statement-breakpoint
ALTER TABLE "topics" DROP CONSTRAINT "topics_pkey";--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_pkey" PRIMARY KEY("workspace_id","key");--> statement-breakpoint
ALTER TABLE "intents" DROP CONSTRAINT "intents_pkey";--> statement-breakpoint
ALTER TABLE "intents" ADD CONSTRAINT "intents_pkey" PRIMARY KEY("workspace_id","key");--> statement-breakpoint
ALTER TABLE "tones" DROP CONSTRAINT "tones_pkey";--> statement-breakpoint
ALTER TABLE "tones" ADD CONSTRAINT "tones_pkey" PRIMARY KEY("workspace_id","key");--> statement-breakpoint
ALTER TABLE "edge_case_categories" DROP CONSTRAINT "edge_case_categories_pkey";--> statement-breakpoint
ALTER TABLE "edge_case_categories" ADD CONSTRAINT "edge_case_categories_pkey" PRIMARY KEY("workspace_id","key");--> statement-breakpoint
ALTER TABLE "chunks" DROP CONSTRAINT "chunks_key_unique";--> statement-breakpoint
ALTER TABLE "documents" DROP CONSTRAINT "documents_key_unique";--> statement-breakpoint
ALTER TABLE "scenarios" DROP CONSTRAINT "scenarios_key_unique";--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_conversation_id_unique";--> statement-breakpoint
ALTER TABLE "export_presets" DROP CONSTRAINT "export_presets_name_unique";--> statement-breakpoint
ALTER TABLE "prompt_templates" DROP CONSTRAINT "prompt_templates_key_unique";--> statement-breakpoint
DROP INDEX "conversations_status_quality_desc_id_idx";--> statement-breakpoint
DROP TABLE "workspace";--> statement-breakpoint
ALTER TABLE "scenarios" ADD CONSTRAINT "scenarios_persona_fk" FOREIGN KEY ("workspace_id","persona_key") REFERENCES "public"."personas"("workspace_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenarios" ADD CONSTRAINT "scenarios_emotional_arc_fk" FOREIGN KEY ("workspace_id","emotional_arc_key") REFERENCES "public"."emotional_arcs"("workspace_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenarios" ADD CONSTRAINT "scenarios_topic_fk" FOREIGN KEY ("workspace_id","topic_key") REFERENCES "public"."topics"("workspace_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_persona_fk" FOREIGN KEY ("workspace_id","persona") REFERENCES "public"."personas"("workspace_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_emotion_fk" FOREIGN KEY ("workspace_id","emotion") REFERENCES "public"."emotional_arcs"("workspace_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_topic_fk" FOREIGN KEY ("workspace_id","topic") REFERENCES "public"."topics"("workspace_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_intent_fk" FOREIGN KEY ("workspace_id","intent") REFERENCES "public"."intents"("workspace_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_tone_fk" FOREIGN KEY ("workspace_id","tone") REFERENCES "public"."tones"("workspace_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_edge_case_category_fk" FOREIGN KEY ("workspace_id","edge_case_category") REFERENCES "public"."edge_case_categories"("workspace_id","key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chunks_workspace_key_unique" ON "chunks" USING btree ("workspace_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_workspace_key_unique" ON "documents" USING btree ("workspace_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "scenarios_workspace_key_unique" ON "scenarios" USING btree ("workspace_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_workspace_conversation_id_unique" ON "conversations" USING btree ("workspace_id","conversation_id");--> statement-breakpoint
CREATE INDEX "conversations_workspace_status_quality_desc_id_idx" ON "conversations" USING btree ("workspace_id","status","quality_score" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "export_presets_workspace_name_unique" ON "export_presets" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE INDEX "generation_logs_workspace_created_at_idx" ON "generation_logs" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "generation_runs_workspace_idx" ON "generation_runs" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "prompt_templates_workspace_key_unique" ON "prompt_templates" USING btree ("workspace_id","key");
--> statement-breakpoint
-- Seeds stay locked, except when their whole workspace is deleted (deleteWorkspaceById names it in
-- the transaction-local setting brightrun.deleting_workspace).
CREATE OR REPLACE FUNCTION brightrun_refuse_seed_delete() RETURNS trigger AS $$
BEGIN
  IF OLD.is_seed AND coalesce(current_setting('brightrun.deleting_workspace', true), '') <> OLD.workspace_id::text THEN
    RAISE EXCEPTION 'Conversation % is a seed conversation and is locked: it cannot be deleted.', OLD.conversation_id
      USING ERRCODE = 'check_violation', HINT = 'seed_locked';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION brightrun_refuse_seed_turn_change() RETURNS trigger AS $$
DECLARE
  seed_id text;
BEGIN
  SELECT conversation_id INTO seed_id FROM conversations
   WHERE id = OLD.conversation_id AND is_seed
     AND workspace_id::text <> coalesce(current_setting('brightrun.deleting_workspace', true), '');
  IF seed_id IS NOT NULL THEN
    RAISE EXCEPTION 'Conversation % is a seed conversation and is locked: its turns cannot be changed.', seed_id
      USING ERRCODE = 'check_violation', HINT = 'seed_locked';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
