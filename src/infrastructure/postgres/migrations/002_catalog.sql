-- The catalog: every entity (software, data, ML, paths, environments, people) in one table, searched
-- with PostgreSQL's own indexes. pg_trgm ships with PostgreSQL's contrib (the embedded build has it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE catalog_entities (
  ref         text PRIMARY KEY,              -- canonical lower-case kind:namespace/name
  kind        text NOT NULL,                 -- canonical spelling, e.g. Component
  namespace   text NOT NULL,
  name        text NOT NULL,                 -- as written; refs compare lower-case
  title       text,
  name_trigrams  integer NOT NULL DEFAULT 0,  -- distinct trigrams of the name, title (pg_trgm): bound the similarity
  title_trigrams integer NOT NULL DEFAULT 0,  -- of a search's rows without computing it (similarity <= min/max of the counts)
  spec_type   text,
  lifecycle   text,
  owner       text,                          -- canonical ref of spec.owner
  tags        text[] NOT NULL DEFAULT '{}',
  source      text NOT NULL,                 -- who registered it: api, file:…, platform:…; only it may change or remove it
  entity      jsonb NOT NULL,                -- the descriptor as validated (defaults applied)
  head        tsvector NOT NULL,             -- A name, B title, C keywords: small, kept inline, ranks the tiers
  search      tsvector NOT NULL,             -- head plus D descriptions (the entity's and its columns')
  hash        text NOT NULL,                 -- of the descriptor: an unchanged re-sync writes nothing
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- The search side: GIN on the full vector and trigram on the name. The filter columns are repeated
-- here so that a search reads its matches' filters, tiers and facets in one pass over this heap.
-- (toast_tuple_target does not move values out of rows under ~2 kB, so this heap is wide, ~1.1 kB a row.)
-- A bulk write's new words collect in a 64 MB pending list and are merged into the index in a few
-- large, sorted passes instead of many small ones (the name trigram index too); the writer cleans the lists when it is done.
CREATE INDEX catalog_entities_search ON catalog_entities USING gin (search) WITH (gin_pending_list_limit = 65536);
CREATE INDEX catalog_entities_name_trgm ON catalog_entities USING gin (name gin_trgm_ops) WITH (gin_pending_list_limit = 65536);

-- The head of every entity, narrow (~500 bytes a row, 50 MB at 100,000 entities): what a search
-- without filters needs to rank its name, title and keyword matches (tiers 1-5) and to count their
-- facets, without reading the wide heap above. A broad word (`card`: 10,700 matches, 7,000 of
-- them here) is ranked from these rows; the wide heap is read only for description-only matches
-- (tier 6) when the better tiers do not fill the page, or to count them up to the exact-count threshold.
-- The lower(name)/lower(title) indexes find an exact name or title whose words the parser splits
-- differently from the query's (tiers 1-2 even without a head match). Written with the entity.
CREATE TABLE catalog_heads (
  ref            text PRIMARY KEY,
  kind           text NOT NULL,
  namespace      text NOT NULL,
  name           text NOT NULL,
  title          text,
  name_trigrams  integer NOT NULL,
  title_trigrams integer NOT NULL,
  spec_type      text,
  lifecycle      text,
  owner          text,
  tags           text[] NOT NULL DEFAULT '{}',
  source         text NOT NULL,
  head           tsvector NOT NULL,             -- as in catalog_entities: A name, B title, C keywords
  name_words     tsvector NOT NULL,             -- the name's words alone, the title's alone: `name_words @@ q` is
  title_words    tsvector NOT NULL              -- `head @@ q` with every word weighted A, answered by an index
);
CREATE INDEX catalog_heads_head ON catalog_heads USING gin (head) WITH (gin_pending_list_limit = 65536);
CREATE INDEX catalog_heads_name_words ON catalog_heads USING gin (name_words) WITH (gin_pending_list_limit = 65536);
CREATE INDEX catalog_heads_title_words ON catalog_heads USING gin (title_words) WITH (gin_pending_list_limit = 65536);
CREATE INDEX catalog_heads_name ON catalog_heads (lower(name));
CREATE INDEX catalog_heads_title ON catalog_heads (lower(title));

-- The narrow side (~160 bytes a row, 16 MB at 100,000 entities, stays in shared buffers): what
-- lists without words filter, order, count and facet on. Written in the same statement as the
-- entity (a data-modifying CTE), removed with it.
CREATE TABLE catalog_facts (
  ref         text PRIMARY KEY,
  kind        text NOT NULL,
  namespace   text NOT NULL,
  spec_type   text,
  lifecycle   text,
  owner       text,
  tags        text[] NOT NULL DEFAULT '{}',
  source      text NOT NULL
);
CREATE INDEX catalog_facts_kind ON catalog_facts (kind, spec_type, ref);
CREATE INDEX catalog_facts_type ON catalog_facts (spec_type, ref);
CREATE INDEX catalog_facts_owner ON catalog_facts (owner, ref);
CREATE INDEX catalog_facts_source ON catalog_facts (source, ref);
CREATE INDEX catalog_facts_tags ON catalog_facts USING gin (tags);

-- Relations in both directions: A dependsOn B is stored as (A, dependsOn, B) and (B, dependencyOf, A),
-- both with origin A. They are written in the transaction that writes A and go when A goes.
CREATE TABLE catalog_relations (
  source_ref  text NOT NULL,
  type        text NOT NULL,
  target_ref  text NOT NULL,
  origin_ref  text NOT NULL,                 -- deleted with the origin entity by the engine (no FK: 5x faster bulk writes)
  PRIMARY KEY (source_ref, type, target_ref, origin_ref)
);
CREATE INDEX catalog_relations_origin ON catalog_relations (origin_ref);

-- Facet counts per kind, kept by statement-level triggers, so the catalog's landing page (facets of
-- everything, or of one kind) reads a few hundred rows instead of counting 100,000 entities.
CREATE TABLE catalog_facet_counts (
  kind   text NOT NULL,
  facet  text NOT NULL,
  value  text NOT NULL,
  count  bigint NOT NULL,
  PRIMARY KEY (kind, facet, value)
);

CREATE FUNCTION catalog_facet_values(kind text, namespace text, spec_type text, lifecycle text, owner text, tags text[])
RETURNS TABLE (facet text, value text) LANGUAGE sql IMMUTABLE AS $$
  SELECT 'kind', kind
  UNION ALL SELECT 'namespace', namespace
  UNION ALL SELECT 'type', spec_type WHERE spec_type IS NOT NULL
  UNION ALL SELECT 'lifecycle', lifecycle WHERE lifecycle IS NOT NULL
  UNION ALL SELECT 'owner', owner WHERE owner IS NOT NULL
  UNION ALL SELECT 'tag', t FROM unnest(tags) AS t
$$;

CREATE FUNCTION catalog_facets_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Rows are applied in key order so that concurrent writers lock them in the same order.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO catalog_facet_counts AS c (kind, facet, value, count)
    SELECT n.kind, f.facet, f.value, count(*) FROM new_rows n, catalog_facet_values(n.kind, n.namespace, n.spec_type, n.lifecycle, n.owner, n.tags) f
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (kind, facet, value) DO UPDATE SET count = c.count + excluded.count;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO catalog_facet_counts AS c (kind, facet, value, count)
    SELECT o.kind, f.facet, f.value, -count(*) FROM old_rows o, catalog_facet_values(o.kind, o.namespace, o.spec_type, o.lifecycle, o.owner, o.tags) f
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (kind, facet, value) DO UPDATE SET count = c.count + excluded.count;
  ELSE
    INSERT INTO catalog_facet_counts AS c (kind, facet, value, count)
    SELECT kind, facet, value, sum(d)::bigint FROM (
      SELECT n.kind, f.facet, f.value, 1 AS d FROM new_rows n, catalog_facet_values(n.kind, n.namespace, n.spec_type, n.lifecycle, n.owner, n.tags) f
      UNION ALL
      SELECT o.kind, f.facet, f.value, -1 FROM old_rows o, catalog_facet_values(o.kind, o.namespace, o.spec_type, o.lifecycle, o.owner, o.tags) f
    ) d GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (kind, facet, value) DO UPDATE SET count = c.count + excluded.count;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER catalog_facets_insert AFTER INSERT ON catalog_facts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_facets_track();
CREATE TRIGGER catalog_facets_update AFTER UPDATE ON catalog_facts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_facets_track();
CREATE TRIGGER catalog_facets_delete AFTER DELETE ON catalog_facts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_facets_track();
