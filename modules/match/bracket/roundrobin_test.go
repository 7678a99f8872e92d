package bracket

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBergerTables checks the schedule against FIDE's Berger tables (Handbook C.05, Annex
// 1), written out here for 6 players: numbers are seeds + 1, white (side A) first. Five
// players use the same table, number 6 being the bye.
func TestBergerTables(t *testing.T) {
	t.Parallel()
	fide6 := [][][2]int{
		{{1, 6}, {2, 5}, {3, 4}},
		{{6, 4}, {5, 3}, {1, 2}},
		{{2, 6}, {3, 1}, {4, 5}},
		{{6, 5}, {1, 4}, {2, 3}},
		{{3, 6}, {4, 2}, {5, 1}},
	}
	require.Equal(t, fide6, rounds(t, 6, RoundRobinOptions{}))
	fide5 := make([][][2]int, len(fide6))
	for r, pairs := range fide6 {
		for _, p := range pairs {
			if p[0] != 6 && p[1] != 6 {
				fide5[r] = append(fide5[r], p)
			}
		}
	}
	require.Equal(t, fide5, rounds(t, 5, RoundRobinOptions{}))
	// 8 players, rounds 2 and 7 of FIDE's table.
	r8 := rounds(t, 8, RoundRobinOptions{})
	require.Equal(t, [][2]int{{8, 5}, {6, 4}, {7, 3}, {1, 2}}, r8[1])
	require.Equal(t, [][2]int{{4, 8}, {5, 3}, {6, 2}, {7, 1}}, r8[6])
	// A double round robin repeats the cycle with sides swapped.
	d := rounds(t, 6, RoundRobinOptions{Double: true})
	require.Len(t, d, 10)
	require.Equal(t, [][2]int{{6, 1}, {5, 2}, {4, 3}}, d[5])
}

// TestCircleSchedule: the first seed stays, the others rotate one place.
func TestCircleSchedule(t *testing.T) {
	t.Parallel()
	require.Equal(t, [][][2]int{
		{{1, 4}, {2, 3}},
		{{1, 3}, {4, 2}},
		{{1, 2}, {3, 4}},
	}, rounds(t, 4, RoundRobinOptions{Schedule: Circle}))
	_, err := RoundRobinWith(4, RoundRobinOptions{Schedule: "scheveningen"})
	require.ErrorIs(t, err, ErrUnknownSchedule)
}

// rounds lays out one league and lists each round's pairs as 1-based numbers.
func rounds(t *testing.T, n int, opts RoundRobinOptions) [][][2]int {
	t.Helper()
	b, err := RoundRobinWith(n, opts)
	require.NoError(t, err)
	var out [][][2]int
	for _, m := range b.Matches {
		for len(out) < m.Round {
			out = append(out, nil)
		}
		out[m.Round-1] = append(out[m.Round-1], [2]int{m.A.Index + 1, m.B.Index + 1})
	}
	return out
}
