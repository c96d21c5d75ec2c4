ALTER TABLE "staff_invites" DROP CONSTRAINT "staff_invites_code_unique";--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD COLUMN "raw_text" text;--> statement-breakpoint
ALTER TABLE "staff_invites" ADD COLUMN "code_hash" text;--> statement-breakpoint
UPDATE "staff_invites" SET "code_hash" = encode(sha256(convert_to("code", 'UTF8')), 'hex');--> statement-breakpoint
ALTER TABLE "staff_invites" ALTER COLUMN "code_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_invites" DROP COLUMN "code";--> statement-breakpoint
ALTER TABLE "staff_invites" ADD CONSTRAINT "staff_invites_code_hash_unique" UNIQUE("code_hash");
