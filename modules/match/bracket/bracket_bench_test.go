package bracket

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkGenerate lays out 1 024 participants in each format; Swiss pairs its first round
// and its sixth (after five rounds of random results, with rematches to avoid).
func BenchmarkGenerate(b *testing.B) {
	const n = 1024
	b.Run("SingleElimination", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := SingleElimination(n, true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DoubleElimination", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DoubleElimination(n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RoundRobin32Groups", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := RoundRobin(n, 32); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RoundRobinOneLeague", func(b *testing.B) { // 523 776 matches
		b.ReportAllocs()
		for b.Loop() {
			if _, err := RoundRobin(n, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SwissRound1", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := SwissRound(n, nil, SwissRules{Rounds: 10}); err != nil {
				b.Fatal(err)
			}
		}
	})
	r := rand.New(rand.NewPCG(5, 6))
	var results []Result
	for round := 0; round < 5; round++ {
		p, _, err := SwissRound(n, results, SwissRules{Rounds: 10})
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range p.Matches {
			results = append(results, Result{A: m[0], B: m[1], Winner: m[r.IntN(2)]})
		}
	}
	b.Run("SwissRound6", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := SwissRound(n, results, SwissRules{Rounds: 10}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
