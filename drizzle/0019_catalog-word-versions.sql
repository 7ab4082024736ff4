CREATE TABLE "catalog_word_versions" (
	"business_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog_word_versions" ADD CONSTRAINT "catalog_word_versions_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The version moves with the words, in the same transaction, so a search that cached what the
-- list did not hold sees it move as soon as the new words are visible to it. Bumped once per
-- transaction (a row version this transaction wrote is left alone), so an import of thousands of
-- products does not pile thousands of versions of one row up.
CREATE OR REPLACE FUNCTION "catalog_words_collect"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	added bigint;
BEGIN
	INSERT INTO "catalog_words" ("business_id", "word")
	SELECT NEW."business_id", lexeme
	FROM unnest(to_tsvector('simple', NEW."title" || ' ' || coalesce(NEW."category", '') || ' ' || NEW."tags"::text || ' ' || NEW."description"))
	WHERE length(lexeme) BETWEEN 3 AND 40
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS added = ROW_COUNT;
	IF added > 0 AND NOT EXISTS (
		SELECT 1 FROM "catalog_word_versions"
		WHERE "business_id" = NEW."business_id" AND xmin = pg_current_xact_id()::xid
	) THEN
		INSERT INTO "catalog_word_versions" ("business_id", "version") VALUES (NEW."business_id", 1)
		ON CONFLICT ("business_id") DO UPDATE SET "version" = "catalog_word_versions"."version" + 1;
	END IF;
	RETURN NULL;
END
$$;
