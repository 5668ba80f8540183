CREATE TABLE "search_words" (
	"organization_id" uuid NOT NULL,
	"word" text NOT NULL,
	CONSTRAINT "search_words_pkey" PRIMARY KEY("organization_id","word")
);
--> statement-breakpoint
-- A search with a typo (the last tier, regions/search/postgres.ts) corrected the whole query against every record's
-- search_text through a trigram index: at 500,000 leads "ada loelace" read 13,593 candidates from the index and
-- ranked the first thousand that passed, 285 ms, and not always with Ada Lovelace among them. It now corrects each
-- word against this table (the distinct words of the organization's records: a few hundred to a few hundred
-- thousand, however many records) and looks the corrected words up in search_vector like the other tiers.
-- The words a record contributes: its search_vector's lexemes that are words, not numbers, emails or addresses.
CREATE FUNCTION search_words_of(v tsvector) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT w FROM unnest(tsvector_to_array(v)) AS w
  WHERE char_length(w) BETWEEN 2 AND 64 AND w !~ '[0-9@./:+_\\'']'
$$;--> statement-breakpoint
-- Statement triggers, so a COPY or a many-row INSERT adds its distinct words once, in order (two writes adding the
-- same new words wait for each other in the same order, never each for the other). They only add: finding out
-- whether any other record still has a word a change took away reads the word's whole posting list when it is a
-- common one (15-20 ms a word at 500,000 leads, every delete paying it). Words no record has any more go in the
-- scheduler's daily tidy (regions/search/words.ts), and at once when a person is erased (search_words_forget).
CREATE FUNCTION search_words_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (organization_id, word)
    SELECT DISTINCT n.organization_id, w FROM new_rows n, search_words_of(n.search_vector) AS w
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION search_words_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (organization_id, word)
    SELECT n.organization_id, w FROM new_rows n, search_words_of(n.search_vector) AS w
    EXCEPT SELECT o.organization_id, w FROM old_rows o, search_words_of(o.search_vector) AS w
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Removes those of the words that no record of the organization has any more (under row-level security), and
-- says how many. Each word is looked up through the search_vector index, which takes two things: the tsquery must be
-- a plain variable (a value taken from an outer query, as in a join, is not made an index condition under
-- row-level security: every row of the organization was read for each word), and only bitmap scans (with plain
-- index and sequential scans allowed, the planner reads the organization's rows in order hoping for an early match,
-- and for a word nobody has that is all of them: 1.3 s).
CREATE FUNCTION search_words_forget(org uuid, words text[]) RETURNS integer LANGUAGE plpgsql
  SET enable_seqscan = off SET enable_indexscan = off AS $$
DECLARE
  w text;
  q tsquery;
  removed integer := 0;
BEGIN
  FOREACH w IN ARRAY words LOOP
    q := quote_literal(w)::tsquery;
    IF NOT (EXISTS (SELECT 1 FROM leads WHERE organization_id = org AND search_vector @@ q)
        OR EXISTS (SELECT 1 FROM contacts WHERE organization_id = org AND search_vector @@ q)
        OR EXISTS (SELECT 1 FROM companies WHERE organization_id = org AND search_vector @@ q)
        OR EXISTS (SELECT 1 FROM deals WHERE organization_id = org AND search_vector @@ q)) THEN
      DELETE FROM search_words WHERE organization_id = org AND word = w;
      IF FOUND THEN
        removed := removed + 1;
      END IF;
    END IF;
  END LOOP;
  RETURN removed;
END $$;--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['leads', 'contacts', 'companies', 'deals'] LOOP
    EXECUTE format('CREATE TRIGGER search_words_inserted AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
      'FOR EACH STATEMENT EXECUTE FUNCTION search_words_inserted()', t);
    EXECUTE format('CREATE TRIGGER search_words_updated AFTER UPDATE ON %I '
      'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_updated()', t);
  END LOOP;
END $$;--> statement-breakpoint
-- The words of the records already written. Row-level security would show this transaction none of them (it names
-- no organization): the tables' owner, which runs the migrations, reads them all for this one statement, each
-- organization's words going to its own rows.
ALTER TABLE "leads" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "contacts" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "companies" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "deals" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
INSERT INTO "search_words" ("organization_id", "word")
  SELECT organization_id, w FROM leads, search_words_of(search_vector) AS w
  UNION SELECT organization_id, w FROM contacts, search_words_of(search_vector) AS w
  UNION SELECT organization_id, w FROM companies, search_words_of(search_vector) AS w
  UNION SELECT organization_id, w FROM deals, search_words_of(search_vector) AS w;--> statement-breakpoint
ALTER TABLE "leads" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "contacts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "companies" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "deals" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "search_words" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "search_words" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "search_words"
  USING ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid)
  WITH CHECK ("organization_id" = nullif(current_setting('app.organization_id', true), '')::uuid);--> statement-breakpoint
CREATE INDEX "search_words_org_word_trgm" ON "search_words" USING gin ("organization_id", "word" gin_trgm_ops)
  WITH (gin_pending_list_limit = 512);--> statement-breakpoint
-- The trigram indexes of search_text served only that tier; every write paid for them (a lead's ~100 characters
-- are ~100 trigrams).
DROP INDEX "leads_org_search_trgm";--> statement-breakpoint
DROP INDEX "contacts_org_search_trgm";--> statement-breakpoint
DROP INDEX "companies_org_search_trgm";--> statement-breakpoint
DROP INDEX "deals_org_search_trgm";
