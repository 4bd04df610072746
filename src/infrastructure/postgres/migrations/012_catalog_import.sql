-- Import sessions: `goldpath catalog import` sends any number of files in chunks (start → chunks →
-- commit). Each chunk's entities are written when it arrives; the refs it named are kept here so that
-- the commit can remove what the source held before and no longer lists (replace semantics across
-- chunks), and so that a ref defined twice in one import is reported. A session left unfinished
-- expires and removes nothing, and so does an import with a bad document (its entities may be the
-- ones that failed). Unlogged: after a crash the sessions are gone, which is an expiry.
CREATE UNLOGGED TABLE catalog_imports (
  id          text PRIMARY KEY,
  source      text NOT NULL,
  started_by  text NOT NULL,
  expires_at  timestamptz NOT NULL,
  errors      integer NOT NULL DEFAULT 0      -- bad documents so far: with any, the commit removes nothing
);

CREATE UNLOGGED TABLE catalog_import_refs (
  import_id   text NOT NULL REFERENCES catalog_imports (id) ON DELETE CASCADE,
  ref         text NOT NULL,
  file        text NOT NULL,
  document    integer NOT NULL,
  PRIMARY KEY (import_id, ref)
);
