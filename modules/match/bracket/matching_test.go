package bracket

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMatchingAgainstBruteForce checks the cardinality blossom algorithm (the Swiss tests'
// oracle) against an exhaustive search on random graphs of up to 14 vertices, dense and
// sparse (odd cycles, which need blossoms, are common in them).
func TestMatchingAgainstBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 3000; trial++ {
		n := 2 + r.IntN(13)
		density := r.Float64()
		met := map[[2]int]bool{} // an edge is a pair that has NOT met
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if r.Float64() > density {
					met[[2]int{i, j}], met[[2]int{j, i}] = true, true
				}
			}
		}
		want := bruteMax(n, met, 0)
		got := maxMatching(n, func(i, j int) bool { return !met[[2]int{i, j}] })
		require.Equal(t, want, got, "trial %d, n %d", trial, n)
	}
}

// bruteMax is the maximum matching size by exhaustive search over vertex subsets, memoised
// by the set of vertices left.
func bruteMax(n int, met map[[2]int]bool, mask int) int {
	return bruteMaxMemo(n, met, mask, map[int]int{})
}

func bruteMaxMemo(n int, met map[[2]int]bool, mask int, memo map[int]int) int {
	if v, ok := memo[mask]; ok {
		return v
	}
	first := -1
	for i := 0; i < n; i++ {
		if mask&(1<<i) == 0 {
			first = i
			break
		}
	}
	if first < 0 {
		return 0
	}
	best := bruteMaxMemo(n, met, mask|1<<first, memo) // first stays unmatched
	for j := first + 1; j < n; j++ {
		if mask&(1<<j) == 0 && !met[[2]int{first, j}] {
			best = max(best, 1+bruteMaxMemo(n, met, mask|1<<first|1<<j, memo))
		}
	}
	memo[mask] = best
	return best
}
