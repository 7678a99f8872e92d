package payout

import (
	"cmp"
	"math/bits"
	"slices"

	"github.com/google/uuid"
)

// Entry is an entry of a completed tournament as the split sees it.
type Entry struct {
	RegistrationID uuid.UUID
	Seed           int32 // lower is better: a tie's odd cents go to the better seed first
	Rank           int32 // final standings; entries that share a rank share their places
	Name           string
	// Members are paid the entry's prize in equal parts, odd cents to the first; none: the
	// entry does not stand (disqualified, removed) and is paid nothing.
	Members []uuid.UUID
}

// Share is one member's part of a prize.
type Share struct {
	RegistrationID uuid.UUID
	UserID         uuid.UUID
	Place          int32 // the first of the places the entry's rank covers
	Shared         int32 // entries that share those places
	Rank, Seed     int32
	Name           string
	Prize          int64 // the entry's prize
	Amount         int64 // this member's part of it
}

// split divides pool among the standing entries by distribution (percent per place; none:
// the winner takes it all). The rules, in order (docs/payouts.md):
//  1. Entries that do not stand are taken out and everyone below moves up a place.
//  2. Only as many places are paid as standing entries fill; the pool is divided over the
//     filled places in proportion to their percentages, each rounded down.
//  3. Entries sharing a rank share the sum of the places they cover, in equal parts; the
//     odd cents go one each to the better seeds.
//  4. An entry's prize is split among its members in equal parts; the odd cents go one each
//     to its registrant, then to its other members by id.
//
// It returns the shares (none of zero) and the rounding: the cents of step 2 that no
// place could take, paid to the platform so that the escrow ends at zero. It also returns
// the number of places filled.
func split(pool int64, distribution []int32, entries []Entry) (shares []Share, rounding int64, places int) {
	distribution = orWinnerTakesAll(distribution)
	standing := slices.DeleteFunc(slices.Clone(entries), func(e Entry) bool { return len(e.Members) == 0 })
	slices.SortStableFunc(standing, func(a, b Entry) int { return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.Seed, b.Seed)) })
	places = min(len(distribution), len(standing))
	if places == 0 || pool <= 0 {
		return nil, max(pool, 0), places
	}
	placeAmount := make([]int64, len(standing)) // by standing entry: 0 beyond the paid places
	copy(placeAmount, placeAmounts(pool, distribution, places))
	rounding = pool
	for _, a := range placeAmount {
		rounding -= a
	}
	for first := 0; first < len(standing); {
		last := first + 1
		for last < len(standing) && standing[last].Rank == standing[first].Rank {
			last++
		}
		var total int64
		for _, a := range placeAmount[first:last] {
			total += a
		}
		tied := int64(last - first)
		for i, e := range standing[first:last] { // in seed order
			prize := total/tied + boolInt(int64(i) < total%tied)
			shares = append(shares, memberShares(e, int32(first+1), int32(tied), prize)...)
		}
		first = last
	}
	return shares, rounding, places
}

// orWinnerTakesAll is distribution, or the winner taking everything when there is none.
func orWinnerTakesAll(distribution []int32) []int32 {
	if len(distribution) == 0 {
		return []int32{100}
	}
	return distribution
}

// placeAmounts is what each place of distribution is paid from pool when entries fill its
// first filled places: the pool divided over those in proportion to their percentages,
// each rounded down, and 0 for the places beyond.
func placeAmounts(pool int64, distribution []int32, filled int) []int64 {
	filled = min(filled, len(distribution))
	var weight int64
	for _, p := range distribution[:filled] {
		weight += int64(p)
	}
	out := make([]int64, len(distribution))
	for i := range filled {
		out[i] = mulDiv(pool, int64(distribution[i]), weight)
	}
	return out
}

// memberShares splits an entry's prize among its members (the odd cents to the first).
func memberShares(e Entry, place, shared int32, prize int64) []Share {
	n := int64(len(e.Members))
	var out []Share
	for i, m := range e.Members {
		amount := prize/n + boolInt(int64(i) < prize%n)
		if amount > 0 {
			out = append(out, Share{RegistrationID: e.RegistrationID, UserID: m, Place: place, Shared: shared,
				Rank: e.Rank, Seed: e.Seed, Name: e.Name, Prize: prize, Amount: amount})
		}
	}
	return out
}

// mulDiv is a×b/c rounded down, for non-negative a and 0 ≤ b ≤ c, without overflowing.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
