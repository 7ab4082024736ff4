CREATE TABLE "catalog_words" (
	"business_id" uuid NOT NULL,
	"word" text NOT NULL,
	CONSTRAINT "catalog_words_business_id_word_pk" PRIMARY KEY("business_id","word")
);
--> statement-breakpoint
ALTER TABLE "catalog_words" ADD CONSTRAINT "catalog_words_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_words_trigram" ON "catalog_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
-- The words of every product, kept as products are written (by any path: imports, syncs, the
-- business file). Typo correction only ever suggests letter words; numbers are matched exactly.
CREATE FUNCTION "catalog_words_collect"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO "catalog_words" ("business_id", "word")
	SELECT NEW."business_id", lexeme
	FROM unnest(to_tsvector('simple', NEW."title" || ' ' || coalesce(NEW."category", '') || ' ' || NEW."tags"::text || ' ' || NEW."description"))
	WHERE length(lexeme) BETWEEN 3 AND 40
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "products_catalog_words" AFTER INSERT OR UPDATE OF "title", "category", "tags", "description" ON "products" FOR EACH ROW EXECUTE FUNCTION "catalog_words_collect"();
--> statement-breakpoint
INSERT INTO "catalog_words" ("business_id", "word")
SELECT DISTINCT p."business_id", w.lexeme
FROM "products" p, unnest(to_tsvector('simple', p."title" || ' ' || coalesce(p."category", '') || ' ' || p."tags"::text || ' ' || p."description")) AS w
WHERE length(w.lexeme) BETWEEN 3 AND 40
ON CONFLICT DO NOTHING;
