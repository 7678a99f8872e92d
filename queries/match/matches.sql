-- name: InsertBracket :exec
INSERT INTO match_brackets (tournament_id, organizer_id, game_id, format, best_of, seeding, random_seed,
                            allow_draws, points_win, points_draw, points_loss, pairing, grand_final, schedule,
                            double_round_robin, tiebreaks, buchholz_virtual_opponent, created_at)
VALUES (@tournament_id, @organizer_id, @game_id, @format, @best_of, @seeding, @random_seed,
        @allow_draws, @points_win, @points_draw, @points_loss, sqlc.narg(pairing), sqlc.narg(grand_final),
        sqlc.narg(schedule), @double_round_robin, @tiebreaks, @buchholz_virtual_opponent, @now);

-- name: InsertEntrants :exec
INSERT INTO match_entrants (tournament_id, seed, registration_id, reporter_id, name, competitor_kind, competitor_id)
SELECT @tournament_id, unnest(@seeds::int[]), unnest(@registration_ids::uuid[]), unnest(@reporter_ids::uuid[]),
       unnest(@names::text[]), unnest(@competitor_kinds::text[]), unnest(@competitor_ids::uuid[]);

-- InsertMatches writes a whole bracket (or a Swiss round) in one statement; a side whose
-- source is a seed knows its entrant at once, a match with both is ready to play, and each
-- match takes its round's planned time.
-- name: InsertMatches :many
INSERT INTO matches (id, tournament_id, number, stage, grp, round, ord, a_kind, a_ref, b_kind, b_ref, a_seed, b_seed, status,
                     scheduled_at)
SELECT m.id, @tournament_id, m.number, m.stage, m.grp, m.round, m.ord, m.a_kind, m.a_ref, m.b_kind, m.b_ref,
       CASE WHEN m.a_kind = 1 THEN m.a_ref END, CASE WHEN m.b_kind = 1 THEN m.b_ref END,
       CASE WHEN m.a_kind = 1 AND m.b_kind = 1 THEN 'ready' ELSE 'pending' END, rt.starts_at
FROM (SELECT unnest(@ids::uuid[]) AS id, unnest(@numbers::int[]) AS number, unnest(@stages::text[]) AS stage,
             unnest(@groups::int[]) AS grp, unnest(@rounds::int[]) AS round, unnest(@ords::int[]) AS ord,
             unnest(@a_kinds::smallint[]) AS a_kind, unnest(@a_refs::int[]) AS a_ref,
             unnest(@b_kinds::smallint[]) AS b_kind, unnest(@b_refs::int[]) AS b_ref) m
LEFT JOIN match_round_times rt ON rt.tournament_id = @tournament_id AND rt.stage = m.stage AND rt.round = m.round
RETURNING id, number, stage, round, status, a_seed, b_seed, scheduled_at;

-- GetBracket returns a bracket's rules and its matches with the entrants' names, in one
-- round trip.
-- name: GetBracket :many
SELECT b.format, b.best_of, b.allow_draws, b.points_win, b.points_draw, b.points_loss, b.seeding, b.random_seed,
       b.pairing, b.grand_final, b.schedule, b.double_round_robin, b.tiebreaks, b.buchholz_virtual_opponent,
       m.id, m.number, m.stage, m.grp, m.round, m.ord, m.status,
       m.a_seed, m.b_seed, ea.name AS a_name, eb.name AS b_name, m.score_a, m.score_b, m.winner_seed,
       m.scheduled_at, m.games
FROM match_brackets b
JOIN matches m ON m.tournament_id = b.tournament_id
LEFT JOIN match_entrants ea ON ea.tournament_id = m.tournament_id AND ea.seed = m.a_seed
LEFT JOIN match_entrants eb ON eb.tournament_id = m.tournament_id AND eb.seed = m.b_seed
WHERE b.tournament_id = @tournament_id
ORDER BY m.number;

-- LockMatch locks a match with what a report or a decision needs: the bracket's rules,
-- who reports for each side, whether the caller is the tournament's staff, and whether the
-- caller plays in this match (a member of either side's entry).
-- name: LockMatch :one
SELECT m.id, m.tournament_id, m.number, m.stage, m.status, m.a_seed, m.b_seed, b.best_of, b.format, b.organizer_id,
       b.allow_draws, ea.reporter_id AS a_reporter, eb.reporter_id AS b_reporter,
       ea.registration_id AS a_registration, eb.registration_id AS b_registration,
       EXISTS (SELECT 1 FROM public_tournament_staff st WHERE st.tournament_id = m.tournament_id AND st.user_id = @caller_id) AS caller_is_staff,
       EXISTS (SELECT 1 FROM public_entry_members pem
               WHERE pem.registration_id IN (ea.registration_id, eb.registration_id) AND pem.user_id = @caller_id) AS caller_plays,
       t.status AS tournament_status
FROM matches m
JOIN match_brackets b ON b.tournament_id = m.tournament_id
JOIN public_tournaments t ON t.id = m.tournament_id
LEFT JOIN match_entrants ea ON ea.tournament_id = m.tournament_id AND ea.seed = m.a_seed
LEFT JOIN match_entrants eb ON eb.tournament_id = m.tournament_id AND eb.seed = m.b_seed
WHERE m.id = @id
FOR UPDATE OF m;

-- MatchRunners is who may run a match's tournament: its organizer, and whether the caller
-- is staff.
-- name: MatchRunners :one
SELECT b.organizer_id,
       EXISTS (SELECT 1 FROM public_tournament_staff st WHERE st.tournament_id = m.tournament_id AND st.user_id = @caller_id) AS caller_is_staff
FROM matches m JOIN match_brackets b ON b.tournament_id = m.tournament_id
WHERE m.id = @id;

-- InsertReport records a side's report; earlier ones stay as its history.
-- name: InsertReport :exec
INSERT INTO match_reports (id, match_id, side, score_a, score_b, games, proof_url, reason, evidence, reported_by, created_at)
VALUES (@id, @match_id, @side, @score_a, @score_b, @games, @proof_url, @reason, @evidence, @reported_by, @now);

-- GetReports is each side's current report: its latest.
-- name: GetReports :many
SELECT DISTINCT ON (side) id, side, score_a, score_b, games, created_at
FROM match_reports WHERE match_id = @match_id
ORDER BY side, created_at DESC, id DESC;

-- ListReports pages through a match's reports in the order they were made, with the
-- reporters' names: one round trip.
-- name: ListReports :many
SELECT r.id, r.side, r.score_a, r.score_b, r.games, r.proof_url, r.reason, r.evidence, r.created_at,
       u.id AS reporter_id, u.handle AS reporter_handle, u.display_name AS reporter_display_name
FROM match_reports r
JOIN public_users u ON u.id = r.reported_by
WHERE r.match_id = @match_id
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (r.created_at, r.id) > (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY r.created_at, r.id
LIMIT @max_rows;

-- name: SetMatchStatus :exec
UPDATE matches SET status = @status WHERE id = @id;

-- name: DecideMatch :exec
UPDATE matches SET status = @status, score_a = @score_a, score_b = @score_b, winner_seed = @winner_seed,
    loser_seed = @loser_seed, games = @games, decided_at = @now::timestamptz
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
RETURNING id, number, stage, round, status, a_seed, b_seed, winner_seed, scheduled_at;

-- DisqualifyEntrant decides every open match of a disqualified entrant for its opponent
-- (round robin has several at once; elimination and Swiss one), returning them.
-- name: DisqualifyEntrant :many
UPDATE matches m SET status = 'disqualified',
    winner_seed = CASE WHEN m.a_seed = @seed::int THEN m.b_seed ELSE m.a_seed END, loser_seed = @seed::int,
    score_a = CASE WHEN m.a_seed = @seed::int THEN 0 ELSE @games::int END,
    score_b = CASE WHEN m.a_seed = @seed::int THEN @games::int ELSE 0 END,
    decided_at = @now::timestamptz
WHERE m.tournament_id = @tournament_id AND m.status IN ('ready', 'reported', 'disputed') AND @seed::int IN (m.a_seed, m.b_seed)
RETURNING m.id, m.number, m.stage, m.status, m.a_seed, m.winner_seed, m.score_a, m.score_b;

-- name: SkipMatch :exec
UPDATE matches SET status = 'skipped' WHERE tournament_id = @tournament_id AND number = @number;

-- name: OpenMatches :one
SELECT count(*)::int FROM matches
WHERE tournament_id = @tournament_id AND status IN ('pending', 'ready', 'reported', 'disputed');

-- PlayedMatches counts a bracket's matches with a result reported or decided — anything
-- but open matches no one reported yet and the byes the bracket was laid with — and locks
-- every match, so that no report lands while the bracket is re-seeded or thrown away.
-- name: PlayedMatches :one
WITH locked AS (
    SELECT status FROM matches WHERE tournament_id = @tournament_id ORDER BY number FOR UPDATE
)
SELECT count(*) FILTER (WHERE status NOT IN ('pending', 'ready', 'bye'))::int FROM locked;

-- name: SetSwissRules :exec
UPDATE match_brackets SET swiss_rounds = @rounds, swiss_advance_at = @advance_at, swiss_eliminate_at = @eliminate_at
WHERE tournament_id = @tournament_id;

-- name: InsertBye :exec
INSERT INTO matches (id, tournament_id, number, stage, grp, round, ord, a_kind, a_ref, b_kind, b_ref, a_seed, status, winner_seed, decided_at)
VALUES (@id, @tournament_id, @number, 'swiss', 0, @round, @ord, 1, @seed, 0, -1, @seed, 'bye', @seed, @now::timestamptz);

-- SwissState is everything the next Swiss round is paired from, in one round trip: the
-- rules, the entrant count, the last round, and every decided match.
-- name: SwissState :many
SELECT b.swiss_rounds, b.swiss_advance_at, b.swiss_eliminate_at, b.points_win, b.points_draw, b.points_loss, b.pairing,
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
       ea.name AS a_name, eb.name AS b_name, m.score_a, m.score_b, m.winner_seed, m.scheduled_at, m.games
FROM matches m
LEFT JOIN match_entrants ea ON ea.tournament_id = m.tournament_id AND ea.seed = m.a_seed
LEFT JOIN match_entrants eb ON eb.tournament_id = m.tournament_id AND eb.seed = m.b_seed
WHERE m.id = @id;

-- ListMatches pages through a tournament's matches in number (play) order, optionally one
-- round or status, or only the overdue (undecided past public_matches' due time at @now),
-- with the entrants' names: one round trip.
-- name: ListMatches :many
SELECT m.id, m.tournament_id, m.number, m.stage, m.grp, m.round, m.ord, m.status, m.a_seed, m.b_seed,
       ea.name AS a_name, eb.name AS b_name, m.score_a, m.score_b, m.winner_seed, m.scheduled_at, m.games
FROM matches m
LEFT JOIN match_entrants ea ON ea.tournament_id = m.tournament_id AND ea.seed = m.a_seed
LEFT JOIN match_entrants eb ON eb.tournament_id = m.tournament_id AND eb.seed = m.b_seed
WHERE m.tournament_id = @tournament_id AND m.number > @after_number
  AND (sqlc.narg(round)::int IS NULL OR m.round = sqlc.narg(round)::int)
  AND (sqlc.narg(status)::text IS NULL OR m.status = sqlc.narg(status)::text)
  AND (NOT @overdue::bool OR m.id IN (SELECT pm.id FROM public_matches pm
                                      WHERE pm.tournament_id = @tournament_id AND pm.undecided AND pm.due_at < @now::timestamptz))
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

-- FinalPlacements lists a completed tournament's entries by final rank, then seed: the
-- order prizes are paid in.
-- name: FinalPlacements :many
SELECT f.registration_id, f.seed, f.rank, e.name
FROM match_final_standings f
JOIN match_entrants e ON e.tournament_id = f.tournament_id AND e.seed = f.seed
WHERE f.tournament_id = @tournament_id
ORDER BY f.rank, f.seed;

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
-- disqualifications or walkovers, which say nothing of skill; a draw has no winner.
-- name: OutcomeMatches :many
SELECT a_seed::int AS a_seed, b_seed::int AS b_seed, winner_seed
FROM matches
WHERE tournament_id = @tournament_id AND status IN ('confirmed', 'resolved') AND a_seed >= 0 AND b_seed >= 0
ORDER BY number;

-- ScheduleMatch sets or clears the time of an undecided match; no row: decided or unknown.
-- name: ScheduleMatch :one
UPDATE matches SET scheduled_at = sqlc.narg(scheduled_at)::timestamptz
WHERE id = @id AND status IN ('pending', 'ready', 'reported', 'disputed')
RETURNING id, number, scheduled_at;

-- SetRoundTimes plans the start of rounds and gives their undecided matches that time, in
-- one statement; decided matches keep the time they were played under. It returns how many
-- matches it scheduled.
-- name: SetRoundTimes :many
WITH plan AS (
    SELECT unnest(@stages::text[]) AS stage, unnest(@rounds::int[]) AS round, unnest(@starts::timestamptz[]) AS starts_at
), planned AS (
    INSERT INTO match_round_times (tournament_id, stage, round, starts_at)
    SELECT @tournament_id, stage, round, starts_at FROM plan
    ON CONFLICT (tournament_id, stage, round) DO UPDATE SET starts_at = EXCLUDED.starts_at
), scheduled AS (
    UPDATE matches m SET scheduled_at = plan.starts_at
    FROM plan
    WHERE m.tournament_id = @tournament_id AND m.stage = plan.stage AND m.round = plan.round
      AND m.status IN ('pending', 'ready', 'reported', 'disputed')
    RETURNING m.id, m.number, m.scheduled_at
)
SELECT id, number, scheduled_at FROM scheduled;

-- ListRoundTimes is a tournament's planned round starts.
-- name: ListRoundTimes :many
SELECT stage, round, starts_at FROM match_round_times WHERE tournament_id = @tournament_id ORDER BY starts_at, stage, round;

-- Rounds lists the rounds a bracket has laid out, by stage (Swiss rounds are paired one at a
-- time, so a Swiss stage lists only those paired so far).
-- name: Rounds :many
SELECT stage, max(round)::int AS rounds FROM matches WHERE tournament_id = @tournament_id GROUP BY stage;

-- LockBracket locks a bracket's row with what a change to it checks: the organizer, whether
-- the caller is staff, the tournament's status. Scheduling rounds, re-seeding and throwing
-- a bracket away take it first, as Swiss pairing does, then the matches.
-- name: LockBracket :one
SELECT b.tournament_id, b.organizer_id, b.format, t.status AS tournament_status,
       EXISTS (SELECT 1 FROM public_tournament_staff st WHERE st.tournament_id = b.tournament_id AND st.user_id = @caller_id) AS caller_is_staff
FROM match_brackets b JOIN public_tournaments t ON t.id = b.tournament_id
WHERE b.tournament_id = @tournament_id
FOR UPDATE OF b;

-- SwapEntrants exchanges the entries at two seeds: every match follows, as matches name
-- seeds. The bracket's seeding is manual from then on.
-- name: SwapEntrants :execrows
WITH pair AS (
    SELECT e.seed, o.registration_id, o.reporter_id, o.name, o.competitor_kind, o.competitor_id
    FROM match_entrants e
    JOIN match_entrants o ON o.tournament_id = e.tournament_id AND o.seed = CASE WHEN e.seed = @seed_a::int THEN @seed_b::int ELSE @seed_a::int END
    WHERE e.tournament_id = @tournament_id AND e.seed IN (@seed_a::int, @seed_b::int)
), swapped AS (
    UPDATE match_entrants e SET registration_id = pair.registration_id, reporter_id = pair.reporter_id, name = pair.name,
        competitor_kind = pair.competitor_kind, competitor_id = pair.competitor_id
    FROM pair WHERE e.tournament_id = @tournament_id AND e.seed = pair.seed
    RETURNING e.seed
)
UPDATE match_brackets b SET seeding = 'manual', random_seed = NULL
WHERE b.tournament_id = @tournament_id AND (SELECT count(*) FROM swapped) = 2;

-- DeleteBracket throws a bracket away: its entrants, matches and reports go with it. It
-- returns the bracket's format and how many entrants it had.
-- name: DeleteBracket :one
WITH gone AS (
    DELETE FROM match_brackets WHERE tournament_id = @tournament_id RETURNING format
)
SELECT gone.format, (SELECT count(*) FROM match_entrants e WHERE e.tournament_id = @tournament_id::uuid)::int AS entrants FROM gone;

-- ListMyMatches pages through the matches of every entry the user is a member of (solo or
-- team, through registration's public_entry_members), most pressing first: live (open for
-- play), then upcoming (sides not all known), each soonest scheduled first, then recent
-- (decided), latest first. Open matches of tournaments no longer running are left out.
-- The keyset is (bucket, sort_key, id); names of both sides and the tournament embedded.
-- name: ListMyMatches :many
WITH mine AS (
    SELECT e.tournament_id, e.seed
    FROM public_entry_members pem
    JOIN match_entrants e ON e.registration_id = pem.registration_id
    WHERE pem.user_id = @user_id
), listed AS (
    SELECT m.id, m.tournament_id, m.number, m.stage, m.grp, m.round, m.ord, m.status, m.a_seed, m.b_seed,
           m.score_a, m.score_b, m.winner_seed, m.scheduled_at, mine.seed AS my_seed,
           CASE WHEN m.status IN ('ready', 'reported', 'disputed') THEN 0 WHEN m.status = 'pending' THEN 1 ELSE 2 END AS bucket,
           CASE WHEN m.status IN ('pending', 'ready', 'reported', 'disputed')
                THEN coalesce(extract(epoch FROM m.scheduled_at), 1e18)
                ELSE -extract(epoch FROM m.decided_at) END::float8 AS sort_key,
           t.slug AS tournament_slug, t.name AS tournament_name, t.status AS tournament_status
    FROM mine
    JOIN matches m ON m.tournament_id = mine.tournament_id AND (m.a_seed = mine.seed OR m.b_seed = mine.seed)
    JOIN public_tournaments t ON t.id = m.tournament_id
    WHERE m.status <> 'skipped'
)
SELECT l.id, l.tournament_id, l.number, l.stage, l.grp, l.round, l.ord, l.status, l.a_seed, l.b_seed,
       l.score_a, l.score_b, l.winner_seed, l.scheduled_at, l.my_seed, l.bucket, l.sort_key,
       l.tournament_slug, l.tournament_name, ea.name AS a_name, eb.name AS b_name
FROM listed l
LEFT JOIN match_entrants ea ON ea.tournament_id = l.tournament_id AND ea.seed = l.a_seed
LEFT JOIN match_entrants eb ON eb.tournament_id = l.tournament_id AND eb.seed = l.b_seed
WHERE (l.bucket = 2 OR l.tournament_status = 'running')
  AND (NOT @paged::bool OR (l.bucket, l.sort_key, l.id) > (@after_bucket::int, @after_key::float8, @after_id::uuid))
ORDER BY l.bucket, l.sort_key, l.id
LIMIT @max_rows;
