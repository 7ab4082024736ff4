ALTER TABLE "contacts" ADD COLUMN "vip" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "flagged" boolean DEFAULT false NOT NULL;