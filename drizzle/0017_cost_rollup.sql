CREATE TABLE "generation_cost_daily" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"tier" text NOT NULL,
	"template_id" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"user_id" text NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"failed_calls" integer DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(18, 6) DEFAULT 0 NOT NULL,
	"first_in_day" integer DEFAULT 0 NOT NULL,
	"first_in_week" integer DEFAULT 0 NOT NULL,
	"first_in_month" integer DEFAULT 0 NOT NULL,
	"latest_tier" integer DEFAULT 0 NOT NULL,
	"latest_template" integer DEFAULT 0 NOT NULL,
	"latest_model" integer DEFAULT 0 NOT NULL,
	"latest_user" integer DEFAULT 0 NOT NULL,
	"latest_kind" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "generation_cost_marks" (
	"conversation_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"dimension" text NOT NULL,
	"value" text NOT NULL,
	"day" date NOT NULL,
	"rollup_id" uuid NOT NULL,
	CONSTRAINT "generation_cost_marks_conversation_id_dimension_value_pk" PRIMARY KEY("conversation_id","dimension","value")
);
--> statement-breakpoint
CREATE TABLE "generation_cost_runs" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"failed_calls" integer DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(18, 6) DEFAULT 0 NOT NULL,
	"conversations" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "generation_cost_daily" ADD CONSTRAINT "generation_cost_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_cost_marks" ADD CONSTRAINT "generation_cost_marks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_cost_marks" ADD CONSTRAINT "generation_cost_marks_rollup_id_generation_cost_daily_id_fk" FOREIGN KEY ("rollup_id") REFERENCES "public"."generation_cost_daily"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_cost_runs" ADD CONSTRAINT "generation_cost_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "generation_cost_daily_key" ON "generation_cost_daily" USING btree ("workspace_id","day","kind","tier","template_id","provider","model","user_id");--> statement-breakpoint
CREATE INDEX "generation_cost_daily_workspace_day_idx" ON "generation_cost_daily" USING btree ("workspace_id","day");--> statement-breakpoint
CREATE INDEX "generation_cost_marks_workspace_idx" ON "generation_cost_marks" USING btree ("workspace_id");--> statement-breakpoint
-- Moves a conversation's latest-call marker of one dimension value to the rollup row `p_rollup` when
-- the call on `p_day` is later than the one that holds it (or it has none yet). Takes the marker off
-- the old row itself; returns 1 when the marker is new on `p_rollup` (the caller adds it), else 0.
CREATE FUNCTION "generation_cost_move_latest"(p_workspace uuid, p_conversation uuid, p_dimension text, p_value text, p_day date, p_rollup uuid) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_day date;
  v_rollup uuid;
BEGIN
  INSERT INTO "generation_cost_marks" ("conversation_id", "workspace_id", "dimension", "value", "day", "rollup_id")
  VALUES (p_conversation, p_workspace, p_dimension, p_value, p_day, p_rollup)
  ON CONFLICT DO NOTHING;
  IF FOUND THEN
    RETURN 1;
  END IF;
  SELECT m."day", m."rollup_id" INTO v_day, v_rollup FROM "generation_cost_marks" m
  WHERE m."conversation_id" = p_conversation AND m."dimension" = p_dimension AND m."value" = p_value
  FOR UPDATE;
  IF p_day <= v_day THEN
    RETURN 0;
  END IF;
  UPDATE "generation_cost_marks" SET "day" = p_day, "rollup_id" = p_rollup
  WHERE "conversation_id" = p_conversation AND "dimension" = p_dimension AND "value" = p_value;
  UPDATE "generation_cost_daily" SET
    "latest_tier" = "latest_tier" - (p_dimension = 'tier')::integer,
    "latest_template" = "latest_template" - (p_dimension = 'template')::integer,
    "latest_model" = "latest_model" - (p_dimension = 'model')::integer,
    "latest_user" = "latest_user" - (p_dimension = 'user')::integer,
    "latest_kind" = "latest_kind" - (p_dimension = 'kind')::integer
  WHERE "id" = v_rollup;
  RETURN 1;
END;
$$;
--> statement-breakpoint
-- Adds one generation_logs row to the rollups (src/server/db/schema/cost-rollup.ts explains the
-- columns): its day's row gets the call, tokens and cost, and so does its run's row (with the run's
-- first call for the conversation); for a call with a conversation, the first-in-day / week / month
-- markers (a language model's generate calls) and the latest-call markers.
CREATE FUNCTION "generation_cost_record"(l "generation_logs") RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_day date := (l."created_at" AT TIME ZONE 'UTC')::date;
  v_tier text := '';
  v_model_call boolean := l."provider" <> 'simulated';
  v_rollup uuid;
  v_first_day integer := 0;
  v_first_week integer := 0;
  v_first_month integer := 0;
  v_tier_mark integer := 0;
  v_template_mark integer := 0;
  v_model_mark integer := 0;
  v_user_mark integer := 0;
  v_kind_mark integer := 0;
  v_run_first integer := 0;
BEGIN
  IF l."conversation_id" IS NOT NULL THEN
    SELECT c."tier" INTO v_tier FROM "conversations" c WHERE c."id" = l."conversation_id";
    v_tier := coalesce(v_tier, '');
  END IF;
  INSERT INTO "generation_cost_daily" AS d ("workspace_id", "day", "kind", "tier", "template_id", "provider", "model", "user_id", "calls", "failed_calls", "input_tokens", "output_tokens", "cost_usd")
  VALUES (l."workspace_id", v_day, l."kind", v_tier, coalesce(l."template_id"::text, ''), l."provider", l."model", l."user_id", 1,
          CASE WHEN l."error_code" IS NULL THEN 0 ELSE 1 END, l."input_tokens", l."output_tokens", l."cost_usd")
  ON CONFLICT ("workspace_id", "day", "kind", "tier", "template_id", "provider", "model", "user_id") DO UPDATE SET
    "calls" = d."calls" + 1,
    "failed_calls" = d."failed_calls" + EXCLUDED."failed_calls",
    "input_tokens" = d."input_tokens" + EXCLUDED."input_tokens",
    "output_tokens" = d."output_tokens" + EXCLUDED."output_tokens",
    "cost_usd" = d."cost_usd" + EXCLUDED."cost_usd"
  RETURNING d."id" INTO v_rollup;
  IF l."run_id" IS NOT NULL THEN
    IF l."conversation_id" IS NOT NULL THEN
      INSERT INTO "generation_cost_marks" ("conversation_id", "workspace_id", "dimension", "value", "day", "rollup_id")
      VALUES (l."conversation_id", l."workspace_id", 'run', l."run_id"::text, v_day, v_rollup)
      ON CONFLICT DO NOTHING;
      IF FOUND THEN
        v_run_first := 1;
      END IF;
    END IF;
    INSERT INTO "generation_cost_runs" AS r ("run_id", "workspace_id", "calls", "failed_calls", "input_tokens", "output_tokens", "cost_usd", "conversations")
    VALUES (l."run_id", l."workspace_id", 1, CASE WHEN l."error_code" IS NULL THEN 0 ELSE 1 END, l."input_tokens", l."output_tokens", l."cost_usd", v_run_first)
    ON CONFLICT ("run_id") DO UPDATE SET
      "calls" = r."calls" + 1,
      "failed_calls" = r."failed_calls" + EXCLUDED."failed_calls",
      "input_tokens" = r."input_tokens" + EXCLUDED."input_tokens",
      "output_tokens" = r."output_tokens" + EXCLUDED."output_tokens",
      "cost_usd" = r."cost_usd" + EXCLUDED."cost_usd",
      "conversations" = r."conversations" + EXCLUDED."conversations";
  END IF;
  IF l."conversation_id" IS NULL THEN
    RETURN;
  END IF;
  IF v_model_call AND l."kind" = 'generate' THEN
    -- First call of the conversation in this day / week / month: the unique key of its marker row decides,
    -- so two transactions never both count it.
    INSERT INTO "generation_cost_marks" ("conversation_id", "workspace_id", "dimension", "value", "day", "rollup_id")
    VALUES (l."conversation_id", l."workspace_id", 'day', v_day::text, v_day, v_rollup)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
      v_first_day := 1;
      INSERT INTO "generation_cost_marks" ("conversation_id", "workspace_id", "dimension", "value", "day", "rollup_id")
      VALUES (l."conversation_id", l."workspace_id", 'week', date_trunc('week', v_day::timestamp)::date::text, v_day, v_rollup)
      ON CONFLICT DO NOTHING;
      IF FOUND THEN
        v_first_week := 1;
      END IF;
      INSERT INTO "generation_cost_marks" ("conversation_id", "workspace_id", "dimension", "value", "day", "rollup_id")
      VALUES (l."conversation_id", l."workspace_id", 'month', date_trunc('month', v_day::timestamp)::date::text, v_day, v_rollup)
      ON CONFLICT DO NOTHING;
      IF FOUND THEN
        v_first_month := 1;
      END IF;
    END IF;
  END IF;
  IF v_model_call THEN
    v_tier_mark := "generation_cost_move_latest"(l."workspace_id", l."conversation_id", 'tier', v_tier, v_day, v_rollup);
    v_template_mark := "generation_cost_move_latest"(l."workspace_id", l."conversation_id", 'template', coalesce(l."template_id"::text, ''), v_day, v_rollup);
    v_user_mark := "generation_cost_move_latest"(l."workspace_id", l."conversation_id", 'user', l."user_id", v_day, v_rollup);
    v_kind_mark := "generation_cost_move_latest"(l."workspace_id", l."conversation_id", 'kind', l."kind", v_day, v_rollup);
  END IF;
  v_model_mark := "generation_cost_move_latest"(l."workspace_id", l."conversation_id", 'model', l."provider" || ' ' || l."model", v_day, v_rollup);
  IF v_first_day + v_first_week + v_first_month + v_tier_mark + v_template_mark + v_model_mark + v_user_mark + v_kind_mark > 0 THEN
    UPDATE "generation_cost_daily" SET
      "first_in_day" = "first_in_day" + v_first_day,
      "first_in_week" = "first_in_week" + v_first_week,
      "first_in_month" = "first_in_month" + v_first_month,
      "latest_tier" = "latest_tier" + v_tier_mark,
      "latest_template" = "latest_template" + v_template_mark,
      "latest_model" = "latest_model" + v_model_mark,
      "latest_user" = "latest_user" + v_user_mark,
      "latest_kind" = "latest_kind" + v_kind_mark
    WHERE "id" = v_rollup;
  END IF;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "generation_logs_cost_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "generation_cost_record"(NEW);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "generation_logs_cost_rollup" AFTER INSERT ON "generation_logs" FOR EACH ROW EXECUTE FUNCTION "generation_logs_cost_rollup"();
--> statement-breakpoint
-- Backfill: every existing call, through the same function, oldest first.
DO $$
DECLARE
  r "generation_logs";
BEGIN
  FOR r IN SELECT * FROM "generation_logs" ORDER BY "created_at", "id" LOOP
    PERFORM "generation_cost_record"(r);
  END LOOP;
END;
$$;
