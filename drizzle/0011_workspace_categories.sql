CREATE TABLE "installation" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"sample_loaded_at" timestamp with time zone,
	CONSTRAINT "installation_single_row_check" CHECK (id = 1)
);
--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "document_categories" jsonb;--> statement-breakpoint
-- The one installation row. A database that already holds a workspace (made before this
-- migration, e.g. moved into workspaces by 0009) counts as having had its sample loaded: the
-- server's first start never adds the sample to it (docs/workspaces.md).
INSERT INTO "installation" ("id", "sample_loaded_at")
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM "workspaces") THEN now() ELSE NULL END
ON CONFLICT ("id") DO NOTHING;
