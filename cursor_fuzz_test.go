package arena_test

import (
	"math"
	"testing"
	"unicode/utf8"

	"github.com/arenaesports/arena"
)

// position is a typical list position: a sort key and a unique tie-breaker.
type position struct {
	Rating float64 `json:"r"`
	ID     string  `json:"id"`
	N      int32   `json:"n"`
}

// FuzzDecodeCursor: any string a client sends is either a position or EINVALID, never a
// panic or another error; and every cursor EncodeCursor makes decodes to its position.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(arena.EncodeCursor(position{Rating: 1500.5, ID: "0190a000-0000-7000-8000-000000000001", N: 3}), 1500.5, "x", int32(3))
	f.Add("eyJyIjoxfQ", 0.0, "", int32(0))
	f.Add("%%%", -1.0, "\u0000", int32(-1))
	f.Add("bnVsbA", 1e308, "é", int32(2147483647))
	f.Fuzz(func(t *testing.T, cursor string, rating float64, id string, n int32) {
		var p position
		if err := arena.DecodeCursor(cursor, &p); err != nil && arena.ErrorCode(err) != arena.EINVALID {
			t.Fatalf("DecodeCursor(%q): %v is not EINVALID", cursor, err)
		}
		if math.IsNaN(rating) || math.IsInf(rating, 0) {
			return // NaN and ±Inf are no position JSON can hold; lists never sort by them
		}
		want := position{Rating: rating, ID: id, N: n}
		var got position
		if err := arena.DecodeCursor(arena.EncodeCursor(want), &got); err != nil {
			t.Fatalf("own cursor of %+v refused: %v", want, err)
		}
		if got.Rating != want.Rating || got.N != want.N || (got.ID != want.ID && utf8.ValidString(want.ID)) {
			t.Fatalf("cursor of %+v decoded to %+v", want, got)
		}
	})
}
