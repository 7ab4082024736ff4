DROP INDEX "knowledge_passages_search";--> statement-breakpoint
CREATE INDEX "knowledge_passages_search" ON "knowledge_passages" USING gin ("search") WITH (fastupdate=false);