CREATE TABLE "model_settings" (
	"scope" text PRIMARY KEY NOT NULL,
	"provider" text,
	"base_url" text,
	"api_key_sealed" text,
	"api_key_hint" text,
	"model" text,
	"concurrency" integer,
	"rate_limits" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "model_settings_provider_check" CHECK (provider is null or provider in ('anthropic', 'openai', 'simulated'))
);
