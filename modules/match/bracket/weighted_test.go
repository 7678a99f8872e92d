package bracket

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMinCostMatchingAgainstBruteForce checks the weighted blossom algorithm against an
// exhaustive search on random graphs of up to 12 vertices: dense and sparse, with few
// distinct costs (many ties, as Swiss tiers make) or many, and with no perfect matching;
// starting from as few as one candidate pair per vertex, so that pricing adds the rest.
func TestMinCostMatchingAgainstBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 4000; trial++ {
		n := 2 * (1 + r.IntN(6))
		density := 0.3 + 0.7*r.Float64()
		spread := []int64{2, 5, 1000, 1 << 40}[r.IntN(4)]
		cost := make([][]int64, n)
		ok := make([][]bool, n)
		for i := range cost {
			cost[i], ok[i] = make([]int64, n), make([]bool, n)
		}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				cost[i][j] = r.Int64N(spread)
				cost[j][i] = cost[i][j]
				ok[i][j] = r.Float64() < density
				ok[j][i] = ok[i][j]
			}
		}
		want, exists := bruteMinCost(n, cost, ok, 0)
		k := []int{1, 2, 3, candidatesPerVertex}[trial%4] // few candidates make the pricing work
		mate, found := minCostMatchingFrom(n, func(i, j int) (int64, bool) { return cost[i][j], ok[i][j] }, uint(r.IntN(64)), k)
		require.Equal(t, exists, found, "trial %d: a perfect matching exists", trial)
		if !found {
			continue
		}
		var got int64
		for v, u := range mate {
			require.Equal(t, v, mate[u], "trial %d: mate is symmetric", trial)
			require.True(t, ok[v][u], "trial %d: an allowed pair", trial)
			if v < u {
				got += cost[v][u]
			}
		}
		require.Equal(t, want, got, "trial %d, n %d: least cost", trial, n)
	}
}

// bruteMinCost is the least cost of a perfect matching of the vertices not in mask.
func bruteMinCost(n int, cost [][]int64, ok [][]bool, mask int) (int64, bool) {
	first := -1
	for i := 0; i < n; i++ {
		if mask&(1<<i) == 0 {
			first = i
			break
		}
	}
	if first < 0 {
		return 0, true
	}
	best, found := int64(0), false
	for j := first + 1; j < n; j++ {
		if mask&(1<<j) != 0 || !ok[first][j] {
			continue
		}
		if c, sub := bruteMinCost(n, cost, ok, mask|1<<first|1<<j); sub && (!found || c+cost[first][j] < best) {
			best, found = c+cost[first][j], true
		}
	}
	return best, found
}
