DROP INDEX "products_search";--> statement-breakpoint
DROP INDEX "products_search_trigram";--> statement-breakpoint
DROP INDEX "catalog_words_trigram";--> statement-breakpoint
CREATE INDEX "products_business_title" ON "products" USING btree ("business_id","title");--> statement-breakpoint
CREATE INDEX "products_search" ON "products" USING gin ("search") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "products_search_trigram" ON "products" USING gin ("search_text" gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "catalog_words_trigram" ON "catalog_words" USING gin ("word" gin_trgm_ops) WITH (fastupdate=false);