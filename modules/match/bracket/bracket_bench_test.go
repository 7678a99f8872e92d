package bracket

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkGenerate lays out 1 024 participants in each format; Swiss pairs its first round
// and its sixth (after five rounds of random results, a fifth drawn, with rematches to
// avoid), in each pairing system.
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
	for _, system := range PairingSystems {
		rules := SwissRules{Rounds: 10, Pairing: system}
		name := "Swiss" // Dutch keeps the benchmark's old names, for comparison across runs
		if system != Dutch {
			name += string(system)
		}
		b.Run(name+"Round1", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := SwissRound(n, nil, rules); err != nil {
					b.Fatal(err)
				}
			}
		})
		results := swissResults(b, n, 5, rules)
		b.Run(name+"Round6", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := SwissRound(n, results, rules); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// swissResults plays rounds of a Swiss stage with random results, a fifth of them draws.
func swissResults(b *testing.B, n, rounds int, rules SwissRules) []Result {
	r := rand.New(rand.NewPCG(5, 6))
	var results []Result
	for round := 0; round < rounds; round++ {
		p, _, err := SwissRound(n, results, rules)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range p.Matches {
			w := m[r.IntN(2)]
			if r.IntN(5) == 0 {
				w = Draw
			}
			results = append(results, Result{A: m[0], B: m[1], Winner: w})
		}
	}
	return results
}
