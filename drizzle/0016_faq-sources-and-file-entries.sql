ALTER TABLE "faq_entries" ADD COLUMN "source" text DEFAULT 'file' NOT NULL;--> statement-breakpoint
ALTER TABLE "faq_entries" ADD COLUMN "file_question" text;--> statement-breakpoint
ALTER TABLE "faq_entries" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "faq_entries" ADD COLUMN "embedding" real[];--> statement-breakpoint
ALTER TABLE "faq_entries" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "file_entry" jsonb;