package payout

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestSplitPaysThePoolExactly draws pools, distributions and standings with ties, entries
// that do not stand and teams, and checks the split's rules: the shares and the rounding
// add up to the pool, the rounding is less than a cent per paid place, nobody is paid twice,
// entries that do not stand get nothing, tied entries and team members differ by a cent at
// most, and the odd cents go to the better seed and the first member.
func TestSplitPaysThePoolExactly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pool := rapid.Int64Range(0, 1_000_000_000_000).Draw(t, "pool")
		places := rapid.IntRange(0, 8).Draw(t, "places")
		dist := make([]int32, places)
		for i := range dist {
			dist[i] = rapid.Int32Range(1, 100).Draw(t, "percent")
		}
		n := rapid.IntRange(0, 12).Draw(t, "entries")
		entries := make([]Entry, n)
		rank := int32(1)
		for i := range entries {
			if i > 0 && !rapid.Bool().Draw(t, "tied") {
				rank = int32(i + 1)
			}
			e := Entry{RegistrationID: uuid.New(), Seed: int32(rapid.IntRange(0, 1000).Draw(t, "seed")*100 + i), Rank: rank}
			if rapid.IntRange(0, 4).Draw(t, "stands") > 0 {
				for range rapid.IntRange(1, 5).Draw(t, "members") {
					e.Members = append(e.Members, uuid.New())
				}
			}
			entries[i] = e
		}

		shares, rounding, filled := split(pool, dist, entries)

		total := rounding
		paid := map[uuid.UUID]bool{}
		prizes := map[uuid.UUID]int64{}
		byEntry := map[uuid.UUID][]Share{}
		for _, s := range shares {
			require.False(t, paid[s.UserID], "paid twice")
			paid[s.UserID] = true
			require.Positive(t, s.Amount)
			total += s.Amount
			byEntry[s.RegistrationID] = append(byEntry[s.RegistrationID], s)
			prizes[s.RegistrationID] = s.Prize
		}
		require.Equal(t, pool, total, "shares + rounding = pool")
		standing := 0
		for _, e := range entries {
			if len(e.Members) == 0 {
				require.Empty(t, byEntry[e.RegistrationID], "an entry that does not stand is paid nothing")
				continue
			}
			standing++
			got := byEntry[e.RegistrationID]
			for i := 1; i < len(got); i++ { // members in order: the first get the odd cents
				require.LessOrEqual(t, got[i].Amount, got[i-1].Amount)
				require.LessOrEqual(t, got[i-1].Amount-got[i].Amount, int64(1))
			}
		}
		want := max(len(dist), 1)
		require.Equal(t, min(want, standing), filled)
		if filled == 0 {
			require.Equal(t, pool, rounding, "nobody to pay: all of it is rounding")
		} else {
			require.Less(t, rounding, int64(filled), "rounding is under a cent per paid place")
		}
		for _, a := range entries { // ties: a cent apart at most, the better seed first
			for _, b := range entries {
				if a.Rank == b.Rank && len(a.Members) > 0 && len(b.Members) > 0 && a.Seed < b.Seed {
					require.GreaterOrEqual(t, prizes[a.RegistrationID], prizes[b.RegistrationID])
					require.LessOrEqual(t, prizes[a.RegistrationID]-prizes[b.RegistrationID], int64(1))
				}
			}
		}
	})
}

// TestSplitExamples pins the documented rules on small cases.
func TestSplitExamples(t *testing.T) {
	id := func(i int) uuid.UUID { return uuid.UUID{byte(i)} }
	entry := func(i int, rank int32, members ...uuid.UUID) Entry {
		return Entry{RegistrationID: id(i), Seed: int32(i), Rank: rank, Members: members}
	}
	amounts := func(shares []Share) map[uuid.UUID]int64 {
		out := map[uuid.UUID]int64{}
		for _, s := range shares {
			out[s.UserID] += s.Amount
		}
		return out
	}
	t.Run("TiedThirdPlacesShareTheThirdAndFourthShares", func(t *testing.T) {
		shares, rounding, _ := split(1001, []int32{50, 30, 15, 5},
			[]Entry{entry(1, 1, id(11)), entry(2, 2, id(12)), entry(3, 3, id(13)), entry(4, 3, id(14))})
		require.Equal(t, map[uuid.UUID]int64{id(11): 500, id(12): 300, id(13): 100, id(14): 100}, amounts(shares))
		require.Equal(t, int64(1), rounding) // 1001·50/100 = 500.5, and so on
	})
	t.Run("ADisqualifiedEntryMovesEveryoneBelowUp", func(t *testing.T) {
		shares, _, _ := split(1000, []int32{60, 30, 10},
			[]Entry{entry(1, 1, id(11)), entry(2, 2), entry(3, 3, id(13)), entry(4, 4, id(14))})
		require.Equal(t, map[uuid.UUID]int64{id(11): 600, id(13): 300, id(14): 100}, amounts(shares))
	})
	t.Run("PlacesNobodyFillsGoToThoseFilled", func(t *testing.T) {
		shares, rounding, filled := split(1000, []int32{50, 30, 20}, []Entry{entry(1, 1, id(11)), entry(2, 2, id(12))})
		require.Equal(t, 2, filled)
		require.Equal(t, map[uuid.UUID]int64{id(11): 625, id(12): 375}, amounts(shares))
		require.Zero(t, rounding)
	})
	t.Run("ATeamSplitsItsPrizeTheRegistrantFirst", func(t *testing.T) {
		shares, _, _ := split(100, nil, []Entry{entry(1, 1, id(11), id(12), id(13)), entry(2, 2, id(21))})
		require.Equal(t, map[uuid.UUID]int64{id(11): 34, id(12): 33, id(13): 33}, amounts(shares))
	})
	t.Run("NobodyStandsEverythingIsRounding", func(t *testing.T) {
		shares, rounding, _ := split(700, []int32{100}, []Entry{entry(1, 1)})
		require.Empty(t, shares)
		require.Equal(t, int64(700), rounding)
	})
}
