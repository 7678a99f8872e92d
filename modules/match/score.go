package match

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/arenaesports/arena"
)

// Score is a reported or decided result in games won.
type Score struct {
	A int32 `json:"score_a" minimum:"0" maximum:"99"`
	B int32 `json:"score_b" minimum:"0" maximum:"99"`
}

// GameScore is one game of a series, as its sides report it.
type GameScore struct {
	A   int32  `json:"score_a" minimum:"0" maximum:"9999" doc:"Side a's score in this game (rounds, points, …)."`
	B   int32  `json:"score_b" minimum:"0" maximum:"9999"`
	Map string `json:"map,omitempty" maxLength:"64"`
}

// Result is a series score and, optionally, the games that made it.
type Result struct {
	Score
	Games []GameScore `json:"games,omitempty" maxItems:"99" doc:"The games in the order played; they must add up to the series score (a game is won by the higher score; a level game, where draws are allowed, goes to neither)."`
}

// rules are what a bracket's results are checked against: its best-of, and whether a match
// may end level.
type rules struct {
	bestOf int32
	draws  bool
}

// check validates a result. A decisive series is won by exactly the games a majority of
// best_of needs, the loser having fewer and the series no longer than best_of; with draws,
// equal scores within best_of are a result too (1-1 in a best of 2, 0-0). Games, when
// given, must make that score: each won by the higher score, none after the deciding one,
// and a level game only where draws are allowed. Errors: EINVALID.
func (r rules) check(res Result) error {
	sc := res.Score
	need := r.bestOf/2 + 1
	switch {
	case r.draws && sc.A == sc.B && sc.A+sc.B <= r.bestOf:
	case max(sc.A, sc.B) == need && min(sc.A, sc.B) < need && sc.A+sc.B <= r.bestOf:
	case r.draws:
		return arena.Errorf(arena.EINVALID, "In a best of %d, the winner takes exactly %d games and the loser fewer, or the series ends level; %d–%d is not a result.",
			r.bestOf, need, sc.A, sc.B)
	default:
		return arena.Errorf(arena.EINVALID, "In a best of %d, the winner takes exactly %d games and the loser fewer; %d–%d is not a result.",
			r.bestOf, need, sc.A, sc.B)
	}
	if res.Games == nil {
		return nil
	}
	if len(res.Games) == 0 || int32(len(res.Games)) > r.bestOf {
		return arena.Errorf(arena.EINVALID, "games: a best of %d has 1 to %d games.", r.bestOf, r.bestOf)
	}
	var won Score
	for i, g := range res.Games {
		if max(won.A, won.B) == need {
			return arena.Errorf(arena.EINVALID, "games: the series was decided after game %d; game %d was not played.", i, i+1)
		}
		switch {
		case g.A > g.B:
			won.A++
		case g.B > g.A:
			won.B++
		case !r.draws:
			return arena.Errorf(arena.EINVALID, "games: game %d is level, and this tournament does not allow draws.", i+1)
		}
	}
	if won != sc {
		return arena.Errorf(arena.EINVALID, "games: they add up to %d–%d, not the reported %d–%d.", won.A, won.B, sc.A, sc.B)
	}
	return nil
}

// winner is the side that took more games: a's seed, b's, or nil for a draw.
func (sc Score) winner(a, b int32) (winner, loser *int32) {
	switch {
	case sc.A > sc.B:
		return &a, &b
	case sc.B > sc.A:
		return &b, &a
	}
	return nil, nil
}

// encodeGames is the stored form of games: JSON, or NULL when none were reported.
func encodeGames(games []GameScore) []byte {
	if games == nil {
		return nil
	}
	b, _ := json.Marshal(games) // a slice of plain structs always encodes
	return b
}

// decodeGames reads stored games; NULL is none.
func decodeGames(raw []byte) ([]GameScore, error) {
	if raw == nil {
		return nil, nil
	}
	var games []GameScore
	if err := json.Unmarshal(raw, &games); err != nil {
		return nil, fmt.Errorf("decode games: %w", err)
	}
	return games, nil
}

// checkEvidence allows only web addresses as evidence: a link a browser opens, never a
// script. Errors: EINVALID.
func checkEvidence(urls []string) error {
	for _, raw := range urls {
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return arena.Errorf(arena.EINVALID, "evidence: %q is not an http(s) URL.", raw)
		}
	}
	return nil
}
