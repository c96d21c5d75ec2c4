ALTER TABLE "stages" ADD COLUMN "is_archived" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "custom_field_defs" ADD COLUMN "is_archived" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "company_config_versions" ADD COLUMN "source" text;--> statement-breakpoint
-- Until now only the shipped presets could be applied (seed <preset>, COMPANY_PRESET).
UPDATE "company_config_versions" SET "source" = 'preset:' || "preset" WHERE "preset" IS NOT NULL;