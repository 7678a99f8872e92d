package match

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/arenaesports/arena"
)

// FuzzResultCheck: a reported result, decoded as the API decodes it, is either accepted or
// EINVALID, never a panic; an accepted one has a winner with exactly the games a majority
// needs (or is a draw where allowed), and its games survive the stored form's round trip.
func FuzzResultCheck(f *testing.F) {
	f.Add([]byte(`{"score_a":2,"score_b":1,"games":[{"score_a":16,"score_b":10},{"score_a":5,"score_b":16},{"score_a":16,"score_b":3,"map":"dust2"}]}`), int32(3), false)
	f.Add([]byte(`{"score_a":1,"score_b":1}`), int32(2), true)
	f.Add([]byte(`{"score_a":0,"score_b":0,"games":[]}`), int32(1), true)
	f.Add([]byte(`{"score_a":3,"score_b":0,"games":[{"score_a":1,"score_b":0},{"score_a":1,"score_b":0},{"score_a":1,"score_b":0},{"score_a":1,"score_b":0}]}`), int32(5), false)
	f.Fuzz(func(t *testing.T, body []byte, bestOf int32, draws bool) {
		var res Result
		if json.Unmarshal(body, &res) != nil {
			return
		}
		if bestOf < 1 || bestOf > 99 || res.A < 0 || res.A > 99 || res.B < 0 || res.B > 99 {
			return // the schema bounds best_of and the series score
		}
		err := rules{bestOf: bestOf, draws: draws}.check(res)
		if err != nil {
			if arena.ErrorCode(err) != arena.EINVALID {
				t.Fatalf("%v is not EINVALID", err)
			}
			return
		}
		need := bestOf/2 + 1
		level := res.A == res.B
		if level && !draws || !level && (max(res.A, res.B) != need || min(res.A, res.B) >= need) || res.A+res.B > bestOf {
			t.Fatalf("accepted %d–%d in a best of %d (draws %v)", res.A, res.B, bestOf, draws)
		}
		games, err := decodeGames(encodeGames(res.Games))
		if err != nil || !reflect.DeepEqual(games, res.Games) {
			t.Fatalf("games %+v stored and read back as %+v (%v)", res.Games, games, err)
		}
	})
}
