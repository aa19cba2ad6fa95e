ALTER TABLE "model_settings" ADD COLUMN "connection_tested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "model_settings" ADD COLUMN "connection_tested_for" text;