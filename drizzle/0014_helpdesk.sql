CREATE TABLE "helpdesk_incoming_comments" (
	"business_id" uuid NOT NULL,
	"comment_id" text NOT NULL,
	"ticket_id" text NOT NULL,
	"message_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "helpdesk_incoming_comments_business_id_comment_id_pk" PRIMARY KEY("business_id","comment_id")
);
--> statement-breakpoint
CREATE TABLE "helpdesk_tickets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"episode" text NOT NULL,
	"ticket_id" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"synced_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "helpdesk_incoming_comments" ADD CONSTRAINT "helpdesk_incoming_comments_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpdesk_tickets" ADD CONSTRAINT "helpdesk_tickets_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpdesk_tickets" ADD CONSTRAINT "helpdesk_tickets_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "helpdesk_incoming_comments_message" ON "helpdesk_incoming_comments" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "helpdesk_tickets_episode" ON "helpdesk_tickets" USING btree ("business_id","conversation_id","episode");--> statement-breakpoint
CREATE INDEX "helpdesk_tickets_due" ON "helpdesk_tickets" USING btree ("next_attempt_at") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "helpdesk_tickets_ticket" ON "helpdesk_tickets" USING btree ("business_id","ticket_id");