package bracket

import (
	"errors"
	"slices"
)

// GrandFinalMode is how a double elimination ends.
type GrandFinalMode string

// Grand final modes.
const (
	// GrandFinalDouble: the brackets' champions meet, and if the losers' champion wins they
	// play a reset, so that the winners' champion too is out only after two losses.
	GrandFinalDouble GrandFinalMode = "double"
	// GrandFinalSimple: one match between the brackets' champions.
	GrandFinalSimple GrandFinalMode = "simple"
	// GrandFinalNone: no grand final; the stage ends with two champions, one per bracket
	// (as when both go on to a later stage).
	GrandFinalNone GrandFinalMode = "none"
)

// GrandFinalModes lists the valid grand final modes, the default first.
var GrandFinalModes = []GrandFinalMode{GrandFinalDouble, GrandFinalSimple, GrandFinalNone}

// DoubleOptions shape a double elimination. The zero value is the default.
type DoubleOptions struct {
	GrandFinal GrandFinalMode // "" is GrandFinalDouble
}

// DoubleElimination lays out n participants in a double elimination bracket with a reset
// grand final: DoubleEliminationWith and the default options.
func DoubleElimination(n int) (*Bracket, error) {
	return DoubleEliminationWith(n, DoubleOptions{})
}

// DoubleEliminationWith lays out n participants in a double elimination bracket: everyone
// is out after two losses. It is laid out as brackets-manager.js (1.11) lays it out by
// default, so that a stage plays the same here and in the reference viewer's own manager
// (testdata/elimination.json is the proof): losers drop into the losers' bracket in the
// "superior" orders of lossOrders, each meeting there a survivor of the other half of the
// bracket, and in a losers' round fed from the winners' bracket the dropped player is side
// A. 2n-2 matches are played, 2n-1 with a reset; GrandFinalNone plays 2n-3. Errors:
// ErrTooFew, ErrUnknownGrandFinal.
func DoubleEliminationWith(n int, opts DoubleOptions) (*Bracket, error) {
	if n < 2 {
		return nil, ErrTooFew
	}
	mode, err := choose(opts.GrandFinal, GrandFinalModes, ErrUnknownGrandFinal)
	if err != nil {
		return nil, err
	}
	bl := &builder{b: Bracket{Participants: n}}
	champion, dropped := bl.winnersBracket(n, Winners)
	size := nextPow2(n)
	orders := lossOrders(size)

	survivors := pairUp(bl, 1, dropped[0]) // losers' round 1: first-round losers meet
	round := 2
	for k := 1; k < len(dropped); k++ {
		drops := orders[k](dropped[k])
		next := make([]node, len(survivors))
		order := 0
		for i := range survivors {
			w, l := bl.play(Losers, round, order, drops[i], survivors[i])
			if !l.empty {
				order++
			}
			next[i] = w
		}
		round++
		survivors = next
		if len(survivors) > 1 {
			survivors = pairUp(bl, round, survivors)
			round++
		}
	}
	if mode == GrandFinalNone {
		return &bl.b, nil
	}
	gf, _ := bl.play(GrandFinal, 1, 0, champion, survivors[0])
	if mode == GrandFinalDouble && gf.src.Kind == FromWinner {
		// Laid out right after the grand final; sides as in the grand final (the winners'
		// champion, who lost it, is A).
		i := gf.src.Index
		bl.play(GrandFinalReset, 1, 0, node{src: Source{FromLoser, i}}, node{src: Source{FromWinner, i}})
	}
	return &bl.b, nil
}

// ErrUnknownGrandFinal is returned for a grand final mode that is not one of GrandFinalModes.
var ErrUnknownGrandFinal = errors.New("bracket: unknown grand final mode")

// ordering rearranges the losers of a winners' round before they drop.
type ordering func([]node) []node

func natural(s []node) []node { return s }

func reverse(s []node) []node {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// halfShift swaps the halves: the top half's losers meet the bottom half's survivors.
func halfShift(s []node) []node { return append(slices.Clone(s[len(s)/2:]), s[:len(s)/2]...) }

// reverseHalfShift reverses each half in place.
func reverseHalfShift(s []node) []node {
	return append(reverse(s[:len(s)/2]), reverse(s[len(s)/2:])...)
}

// pairFlip swaps neighbours.
func pairFlip(s []node) []node {
	out := slices.Clone(s)
	for i := 0; i+1 < len(out); i += 2 {
		out[i], out[i+1] = out[i+1], out[i]
	}
	return out
}

// lossOrders gives, per winners' round (0-based), the order its losers drop in, for a
// bracket of size (a power of two). Up to 128 these are brackets-manager's defaults
// (defaultMinorOrdering, from the "superior" double elimination seeding); beyond, where
// brackets-manager falls back to natural order everywhere (a dropped player would often meet
// again at once the player it just beat), Arena alternates reverse and natural. The last
// round drops one player, whose order does not matter.
func lossOrders(size int) []ordering {
	table := map[int][]ordering{
		4:   {natural, reverse},
		8:   {natural, reverse, natural},
		16:  {natural, reverseHalfShift, reverse, natural},
		32:  {natural, reverse, halfShift, natural, natural},
		64:  {natural, reverse, halfShift, reverse, natural, natural},
		128: {natural, reverse, halfShift, pairFlip, pairFlip, pairFlip, natural},
	}
	if t, ok := table[size]; ok {
		return t
	}
	var out []ordering
	for k := 0; 1<<k < size; k++ {
		out = append(out, []ordering{natural, reverse}[k%2])
	}
	return out
}
