package bracket

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// eliminationFixtures is testdata/elimination.json, written by testdata/gen (brackets-manager).
type eliminationFixtures struct {
	Generator         string           `json:"generator"`
	SingleElimination []fixtureBracket `json:"single_elimination"`
	DoubleElimination []fixtureBracket `json:"double_elimination"`
}

// fixtureBracket is one reference layout: matches as [group, round, side A, side B] with
// sides "s3" (seed 3, 0-based), "w5" / "l5" (winner / loser of fixture match 5); plays as,
// per match, [A, B, winner] seeds or null for a reset not needed.
type fixtureBracket struct {
	Participants     int                  `json:"participants"`
	ConsolationFinal bool                 `json:"consolationFinal"`
	GrandFinal       GrandFinalMode       `json:"grandFinal"`
	Matches          [][4]json.RawMessage `json:"matches"`
	Plays            [][]*[3]int          `json:"plays"`
}

func loadEliminationFixtures(t *testing.T) eliminationFixtures {
	t.Helper()
	raw, err := os.ReadFile("testdata/elimination.json")
	require.NoError(t, err)
	var f eliminationFixtures
	require.NoError(t, json.Unmarshal(raw, &f))
	require.Equal(t, "brackets-manager 1.11.1", f.Generator)
	return f
}

// TestEliminationMatchesBracketsManager lays out every reference bracket (single
// elimination 2–64 with and without a third-place match; double elimination 3–64 with each
// grand final) and checks the same matches in the same rounds and places, fed from the same
// seeds and matches on the same sides; then replays the reference's plays and checks that
// the same participants meet in every match and that a reset is played exactly when the
// reference needed it.
func TestEliminationMatchesBracketsManager(t *testing.T) {
	t.Parallel()
	f := loadEliminationFixtures(t)
	require.Len(t, f.SingleElimination, 63+62)
	require.Len(t, f.DoubleElimination, 62*3)
	for _, c := range append(slices.Clone(f.SingleElimination), f.DoubleElimination...) {
		double := c.GrandFinal != ""
		t.Run(fmt.Sprintf("double=%v/%d/%s%v", double, c.Participants, c.GrandFinal, c.ConsolationFinal), func(t *testing.T) {
			t.Parallel()
			var b *Bracket
			var err error
			if double {
				b, err = DoubleEliminationWith(c.Participants, DoubleOptions{GrandFinal: c.GrandFinal})
			} else {
				b, err = SingleElimination(c.Participants, c.ConsolationFinal)
			}
			require.NoError(t, err)
			require.Len(t, b.Matches, len(c.Matches), "match count")
			// Arena's matches in the reference's order: group, round, place in the round.
			ours := slices.Clone(b.Matches)
			slices.SortStableFunc(ours, func(x, y Match) int {
				return slices.Compare([]int{groupOf(x), roundOf(x), x.Order}, []int{groupOf(y), roundOf(y), y.Order})
			})
			toFixture := make([]int, len(b.Matches)) // Arena index → fixture index
			for i, m := range ours {
				toFixture[m.Index] = i
			}
			for i, m := range ours {
				want := c.Matches[i]
				var group, round int
				require.NoError(t, json.Unmarshal(want[0], &group))
				require.NoError(t, json.Unmarshal(want[1], &round))
				require.Equal(t, []int{group, round}, []int{groupOf(m), roundOf(m)}, "fixture match %d", i)
				require.Equal(t, unquote(t, want[2]), fixtureSource(m.A, toFixture), "fixture match %d, side A", i)
				require.Equal(t, unquote(t, want[3]), fixtureSource(m.B, toFixture), "fixture match %d, side B", i)
			}
			for p, play := range c.Plays {
				replay(t, b, toFixture, play, p)
			}
		})
	}
}

// replay plays the bracket with the reference's winners and checks who meets.
func replay(t *testing.T, b *Bracket, toFixture []int, play []*[3]int, p int) {
	o := newOutcomes(b)
	winner, loser, resolve := o.winner, o.loser, o.resolve
	for _, m := range b.Matches {
		ref := play[toFixture[m.Index]]
		if m.Stage == GrandFinalReset {
			gf := m.A.Index
			needed := winner[gf] == resolve(b.Matches[gf].B) // the losers' champion won
			require.Equal(t, ref != nil, needed, "play %d: a reset is played exactly when needed", p)
		}
		if ref == nil {
			continue
		}
		require.Equal(t, [2]int{ref[0], ref[1]}, [2]int{resolve(m.A), resolve(m.B)}, "play %d, fixture match %d", p, toFixture[m.Index])
		winner[m.Index], loser[m.Index] = ref[2], ref[0]+ref[1]-ref[2]
	}
}

// groupOf is the reference's group: 1 the winners' bracket (the only one in single
// elimination), 2 the losers' bracket, 3 the grand final (round 2 the reset); a single
// elimination's third-place match is group 2.
func groupOf(m Match) int {
	switch m.Stage {
	case Winners:
		return 1
	case Losers, ThirdPlace:
		return 2
	default:
		return 3
	}
}

// roundOf is the reference's round: the reset is the grand final's second.
func roundOf(m Match) int {
	if m.Stage == GrandFinalReset {
		return 2
	}
	return m.Round
}

func fixtureSource(s Source, toFixture []int) string {
	switch s.Kind {
	case FromSeed:
		return "s" + strconv.Itoa(s.Index)
	case FromWinner:
		return "w" + strconv.Itoa(toFixture[s.Index])
	default:
		return "l" + strconv.Itoa(toFixture[s.Index])
	}
}

func unquote(t *testing.T, raw json.RawMessage) string {
	var s string
	require.NoError(t, json.Unmarshal(raw, &s))
	return s
}
