-- name: InsertBracket :exec
INSERT INTO match_brackets (tournament_id, organizer_id, game_id, format, best_of, seeding, random_seed, created_at)
VALUES (@tournament_id, @organizer_id, @game_id, @format, @best_of, @seeding, @random_seed, @now);

-- name: InsertEntrants :exec
INSERT INTO match_entrants (tournament_id, seed, registration_id, reporter_id, name, competitor_kind, competitor_id)
SELECT @tournament_id, unnest(@seeds::int[]), unnest(@registration_ids::uuid[]), unnest(@reporter_ids::uuid[]),
       unnest(@names::text[]), unnest(@competitor_kinds::text[]), unnest(@competitor_ids::uuid[]);

-- InsertMatches writes a whole bracket in one statement; a side whose source is a seed
-- knows its entrant at once, and a match with both is ready to play.
-- name: InsertMatches :exec
INSERT INTO matches (id, tournament_id, number, stage, grp, round, ord, a_kind, a_ref, b_kind, b_ref, a_seed, b_seed, status)
SELECT m.id, @tournament_id, m.number, m.stage, m.grp, m.round, m.ord, m.a_kind, m.a_ref, m.b_kind, m.b_ref,
       CASE WHEN m.a_kind = 1 THEN m.a_ref END, CASE WHEN m.b_kind = 1 THEN m.b_ref END,
       CASE WHEN m.a_kind = 1 AND m.b_kind = 1 THEN 'ready' ELSE 'pending' END
FROM (SELECT unnest(@ids::uuid[]) AS id, unnest(@numbers::int[]) AS number, unnest(@stages::text[]) AS stage,
             unnest(@groups::int[]) AS grp, unnest(@rounds::int[]) AS round, unnest(@ords::int[]) AS ord,
             unnest(@a_kinds::smallint[]) AS a_kind, unnest(@a_refs::int[]) AS a_ref,
             unnest(@b_kinds::smallint[]) AS b_kind, unnest(@b_refs::int[]) AS b_ref) m;

-- GetBracket returns a bracket's matches with the entrants' names, in one round trip.
-- name: GetBracket :many
SELECT b.format, b.best_of, m.id, m.number, m.stage, m.grp, m.round, m.ord, m.status,
       m.a_seed, m.b_seed, ea.name AS a_name, eb.name AS b_name, m.score_a, m.score_b, m.winner_seed
FROM match_brackets b
JOIN matches m ON m.tournament_id = b.tournament_id
LEFT JOIN match_entrants ea ON ea.tournament_id = m.tournament_id AND ea.seed = m.a_seed
LEFT JOIN match_entrants eb ON eb.tournament_id = m.tournament_id AND eb.seed = m.b_seed
WHERE b.tournament_id = @tournament_id
ORDER BY m.number;

-- LockMatch locks a match with what a report or a decision needs: the bracket, and who
-- reports for each side.
-- name: LockMatch :one
SELECT m.id, m.tournament_id, m.number, m.stage, m.status, m.a_seed, m.b_seed, b.best_of, b.format, b.organizer_id,
       ea.reporter_id AS a_reporter, eb.reporter_id AS b_reporter,
       ea.registration_id AS a_registration, eb.registration_id AS b_registration
FROM matches m
JOIN match_brackets b ON b.tournament_id = m.tournament_id
LEFT JOIN match_entrants ea ON ea.tournament_id = m.tournament_id AND ea.seed = m.a_seed
LEFT JOIN match_entrants eb ON eb.tournament_id = m.tournament_id AND eb.seed = m.b_seed
WHERE m.id = @id
FOR UPDATE OF m;

-- name: UpsertReport :exec
INSERT INTO match_reports (match_id, side, score_a, score_b, proof_url, reported_by, created_at)
VALUES (@match_id, @side, @score_a, @score_b, @proof_url, @reported_by, @now)
ON CONFLICT (match_id, side) DO UPDATE
SET score_a = EXCLUDED.score_a, score_b = EXCLUDED.score_b, proof_url = EXCLUDED.proof_url,
    reported_by = EXCLUDED.reported_by, created_at = EXCLUDED.created_at;

-- name: GetReports :many
SELECT side, score_a, score_b FROM match_reports WHERE match_id = @match_id ORDER BY side;

-- name: SetMatchStatus :exec
UPDATE matches SET status = @status WHERE id = @id;

-- name: DecideMatch :exec
UPDATE matches SET status = @status, score_a = @score_a, score_b = @score_b, winner_seed = @winner_seed,
    loser_seed = @loser_seed, decided_at = @now::timestamptz
WHERE id = @id;

-- Advance places a decided match's winner and loser into the matches they feed: one
-- statement however large the bracket.
-- name: Advance :exec
UPDATE matches m SET
    a_seed = CASE WHEN m.a_kind = 2 AND m.a_ref = @number THEN @winner_seed::int
                  WHEN m.a_kind = 3 AND m.a_ref = @number THEN @loser_seed::int ELSE m.a_seed END,
    b_seed = CASE WHEN m.b_kind = 2 AND m.b_ref = @number THEN @winner_seed::int
                  WHEN m.b_kind = 3 AND m.b_ref = @number THEN @loser_seed::int ELSE m.b_seed END
WHERE m.tournament_id = @tournament_id
  AND ((m.a_kind IN (2, 3) AND m.a_ref = @number) OR (m.b_kind IN (2, 3) AND m.b_ref = @number));

-- Settle opens every pending match of a tournament that now knows both sides, and decides
-- at once those left with a side that will never be filled (seed -1): a walkover ('bye') for
-- the other side, or skipped when both sides are empty. It returns what it decided, whose
-- winners and losers the caller places in turn.
-- name: Settle :many
UPDATE matches SET
    status = CASE WHEN a_seed >= 0 AND b_seed >= 0 THEN 'ready' WHEN a_seed < 0 AND b_seed < 0 THEN 'skipped' ELSE 'bye' END,
    winner_seed = CASE WHEN a_seed >= 0 AND b_seed >= 0 THEN NULL WHEN a_seed < 0 AND b_seed < 0 THEN NULL
                       ELSE greatest(a_seed, b_seed) END,
    decided_at = CASE WHEN a_seed >= 0 AND b_seed >= 0 THEN NULL ELSE @now::timestamptz END
WHERE tournament_id = @tournament_id AND status = 'pending' AND a_seed IS NOT NULL AND b_seed IS NOT NULL
RETURNING number, stage, status, a_seed, winner_seed;

-- DisqualifyEntrant decides every open match of a disqualified entrant for its opponent
-- (round robin has several at once; elimination and Swiss one), returning them.
-- name: DisqualifyEntrant :many
UPDATE matches m SET status = 'disqualified',
    winner_seed = CASE WHEN m.a_seed = @seed::int THEN m.b_seed ELSE m.a_seed END, loser_seed = @seed::int,
    score_a = CASE WHEN m.a_seed = @seed::int THEN 0 ELSE @games::int END,
    score_b = CASE WHEN m.a_seed = @seed::int THEN @games::int ELSE 0 END,
    decided_at = @now::timestamptz
WHERE m.tournament_id = @tournament_id AND m.status IN ('ready', 'reported', 'disputed') AND @seed::int IN (m.a_seed, m.b_seed)
RETURNING m.number, m.stage, m.status, m.a_seed, m.winner_seed;

-- name: SkipMatch :exec
UPDATE matches SET status = 'skipped' WHERE tournament_id = @tournament_id AND number = @number;

-- name: OpenMatches :one
SELECT count(*)::int FROM matches
WHERE tournament_id = @tournament_id AND status IN ('pending', 'ready', 'reported', 'disputed');

-- name: SetSwissRules :exec
UPDATE match_brackets SET swiss_rounds = @rounds, swiss_advance_at = @advance_at, swiss_eliminate_at = @eliminate_at
WHERE tournament_id = @tournament_id;

-- name: InsertBye :exec
INSERT INTO matches (id, tournament_id, number, stage, grp, round, ord, a_kind, a_ref, b_kind, b_ref, a_seed, status, winner_seed, decided_at)
VALUES (@id, @tournament_id, @number, 'swiss', 0, @round, @ord, 1, @seed, 0, -1, @seed, 'bye', @seed, @now::timestamptz);

-- SwissState is everything the next Swiss round is paired from, in one round trip: the
-- rules, the entrant count, the last round, and every decided match.
-- name: SwissState :many
SELECT b.swiss_rounds, b.swiss_advance_at, b.swiss_eliminate_at,
       (SELECT count(*) FROM match_entrants e WHERE e.tournament_id = b.tournament_id)::int AS entrants,
       (SELECT coalesce(max(m2.number), -1) FROM matches m2 WHERE m2.tournament_id = b.tournament_id)::int AS last_number,
       (SELECT coalesce(max(m3.round), 0) FROM matches m3 WHERE m3.tournament_id = b.tournament_id)::int AS last_round,
       m.status, m.a_seed, m.b_seed, m.winner_seed, m.score_a, m.score_b
FROM match_brackets b
LEFT JOIN matches m ON m.tournament_id = b.tournament_id
    AND m.status IN ('confirmed', 'resolved', 'forfeit', 'double_forfeit', 'disqualified', 'bye')
WHERE b.tournament_id = @tournament_id
FOR UPDATE OF b;

-- name: GetMatch :one
SELECT m.id, m.tournament_id, m.number, m.stage, m.grp, m.round, m.ord, m.status, m.a_seed, m.b_seed,
       ea.name AS a_name, eb.name AS b_name, m.score_a, m.score_b, m.winner_seed
FROM matches m
LEFT JOIN match_entrants ea ON ea.tournament_id = m.tournament_id AND ea.seed = m.a_seed
LEFT JOIN match_entrants eb ON eb.tournament_id = m.tournament_id AND eb.seed = m.b_seed
WHERE m.id = @id;

-- ListMatches pages through a tournament's matches in number (play) order, optionally one
-- round or status, names embedded: one round trip.
-- name: ListMatches :many
SELECT m.id, m.tournament_id, m.number, m.stage, m.grp, m.round, m.ord, m.status, m.a_seed, m.b_seed,
       ea.name AS a_name, eb.name AS b_name, m.score_a, m.score_b, m.winner_seed
FROM matches m
LEFT JOIN match_entrants ea ON ea.tournament_id = m.tournament_id AND ea.seed = m.a_seed
LEFT JOIN match_entrants eb ON eb.tournament_id = m.tournament_id AND eb.seed = m.b_seed
WHERE m.tournament_id = @tournament_id AND m.number > @after_number
  AND (sqlc.narg(round)::int IS NULL OR m.round = sqlc.narg(round)::int)
  AND (sqlc.narg(status)::text IS NULL OR m.status = sqlc.narg(status)::text)
ORDER BY m.number
LIMIT @max_rows;

-- Dependents counts the matches fed by a match's winner or loser that have been played (or
-- are being reported) — an override is refused once there is one — and reopens the others
-- so the corrected result can be placed again.
-- name: PlayedDependents :one
SELECT count(*)::int FROM matches m
WHERE m.tournament_id = @tournament_id
  AND ((m.a_kind IN (2, 3) AND m.a_ref = @number) OR (m.b_kind IN (2, 3) AND m.b_ref = @number))
  AND m.status NOT IN ('pending', 'ready', 'skipped');

-- name: ReopenDependents :exec
UPDATE matches m SET status = 'pending'
WHERE m.tournament_id = @tournament_id
  AND ((m.a_kind IN (2, 3) AND m.a_ref = @number) OR (m.b_kind IN (2, 3) AND m.b_ref = @number))
  AND m.status IN ('ready', 'skipped');

-- name: ListEntrants :many
SELECT seed, name FROM match_entrants WHERE tournament_id = @tournament_id ORDER BY seed;

-- name: InsertFinalStandings :exec
INSERT INTO match_final_standings (tournament_id, seed, registration_id, rank, wins, losses, draws)
SELECT @tournament_id, s.seed, e.registration_id, s.rank, s.wins, s.losses, s.draws
FROM (SELECT unnest(@seeds::int[]) AS seed, unnest(@ranks::int[]) AS rank, unnest(@wins::int[]) AS wins,
             unnest(@losses::int[]) AS losses, unnest(@draws::int[]) AS draws) s
JOIN match_entrants e ON e.tournament_id = @tournament_id AND e.seed = s.seed;

-- Outcome reads a completed tournament for the leaderboard: its game and each entrant's
-- competitor and final rank (one row per entrant, in seed order).
-- name: OutcomeEntrants :many
SELECT b.game_id, e.seed, e.competitor_kind, e.competitor_id, f.rank
FROM match_brackets b
JOIN match_entrants e ON e.tournament_id = b.tournament_id
JOIN match_final_standings f ON f.tournament_id = e.tournament_id AND f.seed = e.seed
WHERE b.tournament_id = @tournament_id
ORDER BY e.seed;

-- OutcomeMatches lists the matches a tournament's entrants played out — not forfeits,
-- disqualifications or walkovers, which say nothing of skill.
-- name: OutcomeMatches :many
SELECT a_seed::int AS a_seed, b_seed::int AS b_seed, winner_seed::int AS winner_seed
FROM matches
WHERE tournament_id = @tournament_id AND status IN ('confirmed', 'resolved') AND a_seed >= 0 AND b_seed >= 0
ORDER BY number;
