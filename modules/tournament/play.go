package tournament

import (
	"cmp"
	"slices"

	"github.com/arenaesports/arena"
)

// Swiss pairing systems (the match engine's, modules/match/bracket; docs/competition.md).
const (
	PairingDutch = "dutch" // FIDE Dutch system without colours, the default
	PairingValve = "valve" // Valve's CS2 Major Swiss
)

// Grand finals of a double elimination.
const (
	GrandFinalDouble = "double" // with a reset if the losers' champion wins, the default
	GrandFinalSimple = "simple" // one match
	GrandFinalNone   = "none"   // none: the stage ends with one champion per bracket
)

// Round robin schedules.
const (
	ScheduleBerger = "berger" // FIDE Berger tables, the default
	ScheduleCircle = "circle" // the circle method
)

// Tiebreaks of round robin and Swiss standings, applied in the order a tournament lists them.
const (
	TiebreakPoints          = "points"
	TiebreakHeadToHead      = "head_to_head"
	TiebreakBuchholz        = "buchholz"
	TiebreakBuchholzCut1    = "buchholz_cut1"
	TiebreakMedianBuchholz  = "median_buchholz"
	TiebreakSonnebornBerger = "sonneborn_berger"
	TiebreakGameDifference  = "game_difference"
	TiebreakGamesWon        = "games_won"
	TiebreakWins            = "wins"
	TiebreakSeed            = "seed"
)

// buchholzFamily are the tiebreaks that sum opponents' points: only a Swiss field, where
// entrants meet different opponents, is separated by them, and only they count a bye's
// virtual opponent.
var buchholzFamily = []string{TiebreakBuchholz, TiebreakBuchholzCut1, TiebreakMedianBuchholz}

// defaultTiebreaks is each format's order when the organizer chooses none: a round robin
// as UEFA's group stage (points, the mini-table, game difference, games won), a Swiss stage
// as FIDE recommends (C.07: Buchholz Cut 1, then Buchholz), then the mini-table and game
// difference. Elimination formats rank by placement and have none.
var defaultTiebreaks = map[string][]string{
	FormatRoundRobin: {TiebreakPoints, TiebreakHeadToHead, TiebreakGameDifference, TiebreakGamesWon},
	FormatSwiss:      {TiebreakPoints, TiebreakBuchholzCut1, TiebreakBuchholz, TiebreakHeadToHead, TiebreakGameDifference},
}

// Play is how a tournament's matches are laid out, paired and ranked beyond the points
// table. A field only applies to the formats its doc names; absent, it takes the format's
// default. On a tournament it is shown with the defaults filled in for its format.
type Play struct {
	Pairing          string   `json:"pairing,omitempty" enum:"dutch,valve" doc:"Swiss: the pairing system; default dutch (FIDE Dutch system). valve: Valve's CS2 Major rules."`
	GrandFinal       string   `json:"grand_final,omitempty" enum:"double,simple,none" doc:"Double elimination: double (default: a reset if the losers' champion wins), simple (one match) or none."`
	Schedule         string   `json:"schedule,omitempty" enum:"berger,circle" doc:"Round robin: berger (default, FIDE Berger tables) or circle."`
	DoubleRoundRobin bool     `json:"double_round_robin,omitempty" doc:"Round robin: every pair meets twice, the second cycle with sides swapped."`
	Tiebreaks        []string `json:"tiebreaks,omitempty" minItems:"1" maxItems:"10" enum:"points,head_to_head,buchholz,buchholz_cut1,median_buchholz,sonneborn_berger,game_difference,games_won,wins,seed" doc:"Round robin and Swiss: the standings' criteria, in order. Default: round robin points, head_to_head, game_difference, games_won; Swiss points, buchholz_cut1, buchholz, head_to_head, game_difference. The Buchholz family is Swiss only."`
	// VirtualOpponent follows FIDE's rule for unplayed rounds in the Buchholz family.
	VirtualOpponent bool `json:"buchholz_virtual_opponent,omitempty" doc:"Swiss: a bye counts in the Buchholz family as a game against FIDE's virtual opponent (the entrant's points before the round, a loss in it, draws after) instead of not at all. Needs a Buchholz tiebreak."`
}

// check validates the chosen settings against the format: a setting is accepted only where
// it changes something. Errors: EINVALID.
func (p Play) check(format string) error {
	switch {
	case p.Pairing != "" && format != FormatSwiss:
		return arena.Errorf(arena.EINVALID, "play.pairing is for Swiss; a %s tournament is not paired.", format)
	case p.GrandFinal != "" && format != FormatDoubleElimination:
		return arena.Errorf(arena.EINVALID, "play.grand_final is for double elimination; a %s tournament has no grand final to shape.", format)
	case (p.Schedule != "" || p.DoubleRoundRobin) && format != FormatRoundRobin:
		return arena.Errorf(arena.EINVALID, "play.schedule and play.double_round_robin are for round robin, not %s.", format)
	case p.Tiebreaks != nil && eliminationFormat(format):
		return arena.Errorf(arena.EINVALID, "play.tiebreaks apply to round robin and Swiss standings; elimination ranks by placement.")
	case p.VirtualOpponent && format != FormatSwiss:
		return arena.Errorf(arena.EINVALID, "play.buchholz_virtual_opponent is for Swiss, where byes are given.")
	}
	for i, tb := range p.Tiebreaks {
		if slices.Contains(p.Tiebreaks[:i], tb) {
			return arena.Errorf(arena.EINVALID, "play.tiebreaks lists %s twice.", tb)
		}
		if format == FormatRoundRobin && slices.Contains(buchholzFamily, tb) {
			return arena.Errorf(arena.EINVALID, "play.tiebreaks: %s is for Swiss; in a round robin everyone meets the same opponents, so it separates no tie (sonneborn_berger does).", tb)
		}
	}
	if p.VirtualOpponent && !slices.ContainsFunc(p.effective(format).Tiebreaks, func(tb string) bool { return slices.Contains(buchholzFamily, tb) }) {
		return arena.Errorf(arena.EINVALID, "play.buchholz_virtual_opponent changes only the Buchholz family, and play.tiebreaks lists none of it.")
	}
	return nil
}

// effective fills in the format's defaults and leaves out what does not apply to it.
func (p Play) effective(format string) Play {
	out := Play{}
	switch format {
	case FormatSwiss:
		out.Pairing = cmp.Or(p.Pairing, PairingDutch)
		out.VirtualOpponent = p.VirtualOpponent
	case FormatDoubleElimination:
		out.GrandFinal = cmp.Or(p.GrandFinal, GrandFinalDouble)
	case FormatRoundRobin:
		out.Schedule = cmp.Or(p.Schedule, ScheduleBerger)
		out.DoubleRoundRobin = p.DoubleRoundRobin
	}
	if !eliminationFormat(format) {
		out.Tiebreaks = p.Tiebreaks
		if out.Tiebreaks == nil {
			out.Tiebreaks = slices.Clone(defaultTiebreaks[format])
		}
	}
	return out
}

// orNull stores an unchosen setting as NULL: the format's default.
func orNull(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func orUnset(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}
