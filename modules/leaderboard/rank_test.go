package leaderboard

import (
	"context"
	"math"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
)

// TestRankMatchesCounting drives a board with random inserts, score changes (single rows and
// batches, as the rating job writes them) and deletes, with scores that straddle bucket
// edges at every width and go negative, and checks after every step that leaderboard_rank
// equals 1 + a plain count of better scores, for entries' own scores and for probes between.
func TestRankMatchesCounting(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	edges := []float64{0, 1, 63, 64, 4095, 4096, -1, -64, -4096, 1500, 8191.5}
	score := rapid.Custom(func(t *rapid.T) float64 {
		if rapid.Bool().Draw(t, "on an edge") {
			e := rapid.SampledFrom(edges).Draw(t, "edge")
			return e + rapid.SampledFrom([]float64{0, -0.25, 0.25, -1e-9}).Draw(t, "nudge")
		}
		return math.Round(rapid.Float64Range(-5000, 9000).Draw(t, "score")*100) / 100
	})
	rapid.Check(t, func(rt *rapid.T) {
		board := db.NewID()
		var ids []uuid.UUID
		check := func(x float64) {
			var got, want int64
			require.NoError(rt, pool.QueryRow(ctx, `SELECT leaderboard_rank($1, $2),
				1 + (SELECT count(*) FROM leaderboard_entries WHERE board_id = $1 AND score > $2)`, board, x).Scan(&got, &want))
			require.Equal(rt, want, got, "rank of %v", x)
		}
		rt.Repeat(map[string]func(*rapid.T){
			"insert": func(rt *rapid.T) {
				id := db.NewID()
				_, err := pool.Exec(ctx, `INSERT INTO leaderboard_entries VALUES ($1, $2, 'user', $3)`, board, id, score.Draw(rt, "new"))
				require.NoError(rt, err)
				ids = append(ids, id)
			},
			"update batch": func(rt *rapid.T) {
				if len(ids) == 0 {
					rt.Skip("empty board")
				}
				picked := rapid.SliceOfNDistinct(rapid.SampledFrom(ids), 1, 5, func(id uuid.UUID) uuid.UUID { return id }).Draw(rt, "ids")
				scores := make([]float64, len(picked))
				for i := range picked {
					scores[i] = score.Draw(rt, "to")
				}
				_, err := pool.Exec(ctx, `UPDATE leaderboard_entries e SET score = x.score
					FROM unnest($2::uuid[], $3::float8[]) AS x (id, score) WHERE e.board_id = $1 AND e.competitor_id = x.id`, board, picked, scores)
				require.NoError(rt, err)
			},
			"delete": func(rt *rapid.T) {
				if len(ids) == 0 {
					rt.Skip("empty board")
				}
				i := rapid.IntRange(0, len(ids)-1).Draw(rt, "which")
				_, err := pool.Exec(ctx, `DELETE FROM leaderboard_entries WHERE board_id = $1 AND competitor_id = $2`, board, ids[i])
				require.NoError(rt, err)
				ids = append(ids[:i], ids[i+1:]...)
			},
			"": func(rt *rapid.T) {
				rows, err := pool.Query(ctx, `SELECT score FROM leaderboard_entries WHERE board_id = $1`, board)
				require.NoError(rt, err)
				var scores []float64
				for rows.Next() {
					var s float64
					require.NoError(rt, rows.Scan(&s))
					scores = append(scores, s)
				}
				require.NoError(rt, rows.Err())
				for _, s := range scores {
					check(s)
				}
				check(score.Draw(rt, "probe"))
			},
		})
	})
}
