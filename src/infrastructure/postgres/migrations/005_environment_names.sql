-- A team's environments have distinct names while they exist (deleted ones free their name).
-- Older installations may hold duplicates: all but the oldest of each get their id's tail appended.
UPDATE environments e SET name = left(e.name, 36) || '-' || right(e.id, 4)
WHERE e.status <> 'deleted'
  AND EXISTS (SELECT 1 FROM environments o
              WHERE o.team_id = e.team_id AND o.name = e.name AND o.status <> 'deleted'
                AND (o.created_at, o.id) < (e.created_at, e.id));
CREATE UNIQUE INDEX environments_team_name ON environments (team_id, name) WHERE status <> 'deleted';
