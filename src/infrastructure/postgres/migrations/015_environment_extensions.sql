-- What a developer added to a software path's environment (an Extension: resources, env, parameters),
-- and where it came from (launch or the repository's goldpath.yaml); NULL when nothing was added.
ALTER TABLE environments ADD COLUMN IF NOT EXISTS extension jsonb;
