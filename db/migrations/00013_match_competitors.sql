-- Match: what ratings are kept by — each bracket's game, and the competitor each entrant is
-- (its team in team play, its player in solo play).

-- +goose Up
ALTER TABLE match_brackets ADD COLUMN game_id uuid;
UPDATE match_brackets b SET game_id = t.game_id FROM tournaments t WHERE t.id = b.tournament_id;
ALTER TABLE match_brackets ALTER COLUMN game_id SET NOT NULL;

ALTER TABLE match_entrants
    ADD COLUMN competitor_kind text CHECK (competitor_kind IN ('user', 'team')),
    ADD COLUMN competitor_id uuid;
UPDATE match_entrants e
SET competitor_kind = CASE WHEN r.team_id IS NULL THEN 'user' ELSE 'team' END,
    competitor_id = coalesce(r.team_id, r.registered_by)
FROM registrations r WHERE r.id = e.registration_id;
ALTER TABLE match_entrants ALTER COLUMN competitor_kind SET NOT NULL, ALTER COLUMN competitor_id SET NOT NULL;

-- +goose Down
ALTER TABLE match_entrants DROP COLUMN competitor_kind, DROP COLUMN competitor_id;
ALTER TABLE match_brackets DROP COLUMN game_id;
