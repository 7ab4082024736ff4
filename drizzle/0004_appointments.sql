CREATE TABLE "appointment_claims" (
	"business_id" uuid NOT NULL,
	"staff_slug" text NOT NULL,
	"granule" timestamp with time zone NOT NULL,
	"appointment_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"business_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"conversation_id" uuid,
	"service_slug" text NOT NULL,
	"service_name" text NOT NULL,
	"staff_slug" text NOT NULL,
	"staff_name" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"price_minor" integer NOT NULL,
	"uid" text NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"invite_ics" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "appointment_claims" ADD CONSTRAINT "appointment_claims_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_claims" ADD CONSTRAINT "appointment_claims_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appointment_claims_granule" ON "appointment_claims" USING btree ("business_id","staff_slug","granule");--> statement-breakpoint
CREATE INDEX "appointment_claims_appointment" ON "appointment_claims" USING btree ("appointment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_uid" ON "appointments" USING btree ("uid");--> statement-breakpoint
CREATE INDEX "appointments_contact" ON "appointments" USING btree ("business_id","contact_id","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_time" ON "appointments" USING btree ("business_id","starts_at");