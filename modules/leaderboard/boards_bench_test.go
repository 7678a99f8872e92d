package leaderboard

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// BenchmarkBoard1M reads a game board of 1 000 000 rated players (ratings normally
// distributed, mean 1500, sd 300, as a mature board would be): the top-100 page, the page
// 5 000 pages of 100 deep (by keyset), the competitor page — rank, percentile, history —
// of the best, the median and the worst player, and the median player's neighbourhood (ten
// above, ten below). The cache is dropped before each read.
func BenchmarkBoard1M(b *testing.B) {
	ctx := context.Background()
	pool, err := db.Open(ctx, dbtest.URL(b), 4, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	const n = 1_000_000
	game := db.NewID()
	for _, q := range []string{
		`INSERT INTO games (id, slug, name, team_size_min, team_size_max, config_schema, created_at, updated_at)
		 VALUES ($1, 'bench', 'Bench', 1, 1, '{}', now(), now())`,
		`INSERT INTO users (id, email, handle, display_name, password_hash, created_at, updated_at)
		 SELECT gen_random_uuid(), 'bench_' || i || '@example.com', 'bench_' || i, 'Bench ' || i, 'x', now(), now()
		 FROM generate_series(1, 1000000) i`,
		`INSERT INTO leaderboard_ratings (game_id, competitor_id, rating, deviation, volatility, tournaments, last_rated_at)
		 SELECT $1, id, 1500 + 300 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()), 50 + 100 * random(), 0.06, 1, now()
		 FROM users WHERE handle LIKE 'bench\_%'`,
		`INSERT INTO leaderboard_entries (board_id, competitor_id, competitor_kind, score)
		 SELECT game_id, competitor_id, 'user', rating FROM leaderboard_ratings WHERE game_id = $1`,
		`ANALYZE`,
	} {
		var args []any
		if strings.Contains(q, "$1") {
			args = []any{game}
		}
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
	svc := New(pool, Config{})
	var best, median, worst uuid.UUID
	var deepScore float64
	var deepID uuid.UUID
	if err := pool.QueryRow(ctx, `SELECT
		(SELECT competitor_id FROM leaderboard_entries WHERE board_id = $1 ORDER BY score DESC, competitor_id LIMIT 1),
		(SELECT competitor_id FROM leaderboard_entries WHERE board_id = $1 ORDER BY score, competitor_id DESC LIMIT 1)`, game).
		Scan(&best, &worst); err != nil {
		b.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT score, competitor_id FROM leaderboard_entries WHERE board_id = $1
		ORDER BY score DESC, competitor_id OFFSET 499999 LIMIT 1`, game).Scan(&deepScore, &deepID); err != nil {
		b.Fatal(err)
	}
	deep := arena.EncodeCursor(boardCursor{Score: deepScore, ID: deepID})
	median = deepID // rank 500 000: the densest part of the board

	page := func(cursor string, firstRank int64) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				svc.invalidate()
				p, _, err := svc.Page(ctx, BoardQuery{Game: "bench", Board: BoardRating, Page: arena.Page{Cursor: cursor, Limit: 100}})
				if err != nil || len(p.Items) != 100 || p.Items[0].Rank != firstRank {
					b.Fatalf("page: %v (first rank %d, want %d)", err, p.Items[0].Rank, firstRank)
				}
			}
		}
	}
	competitor := func(id uuid.UUID, rank int64) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				svc.invalidate()
				c, err := svc.Competitor(ctx, "bench", id.String())
				if err != nil || c.Rank != rank {
					b.Fatalf("competitor: %v (rank %d, want %d)", err, c.Rank, rank)
				}
			}
		}
	}
	around := func(id uuid.UUID, rank int64) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				svc.invalidate()
				p, _, err := svc.Around(ctx, BoardQuery{Game: "bench", Board: BoardRating}, id.String(), 10)
				if err != nil || len(p.Items) != 21 || p.Items[10].Rank != rank {
					b.Fatalf("around: %v (%d entries)", err, len(p.Items))
				}
			}
		}
	}
	b.Run("Top100", page("", 1))
	b.Run("Page5000", page(deep, 500_001))
	b.Run("RankBest", competitor(best, 1))
	b.Run("RankMedian", competitor(median, n/2))
	b.Run("RankWorst", competitor(worst, n))
	b.Run("AroundMedian", around(median, n/2))
}
