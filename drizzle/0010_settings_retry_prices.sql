ALTER TABLE "model_settings" ADD COLUMN "rate_limits_by_model" jsonb;--> statement-breakpoint
ALTER TABLE "model_settings" ADD COLUMN "retry_policy" jsonb;--> statement-breakpoint
ALTER TABLE "model_settings" ADD COLUMN "price_overrides" jsonb;