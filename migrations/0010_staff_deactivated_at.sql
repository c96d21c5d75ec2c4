ALTER TABLE "users" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
UPDATE "users" SET "deactivated_at" = "updated_at" WHERE NOT "is_active";