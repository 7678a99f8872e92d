// Package bracket is Arena's bracket engine: it lays out single and double elimination
// brackets, round robins and Swiss rounds, and ranks participants. It is pure Go with no
// database: participants are seeds 0…n-1 (0 is the top seed), matches are indexes.
package bracket

import (
	"errors"
	"fmt"
)

// Stage is the part of a tournament a match belongs to.
type Stage string

// Stages.
const (
	Winners         Stage = "winners"
	Losers          Stage = "losers"
	GrandFinal      Stage = "grand_final"
	GrandFinalReset Stage = "grand_final_reset" // played only if the losers' champion wins the grand final
	ThirdPlace      Stage = "third_place"
	RoundRobinStage Stage = "round_robin"
	SwissStage      Stage = "swiss"
)

// SourceKind says where a match's participant comes from.
type SourceKind int

// Source kinds.
const (
	FromSeed   SourceKind = iota + 1 // Index is a seed
	FromWinner                       // Index is a match: its winner
	FromLoser                        // Index is a match: its loser
)

// Source is one side of a match: a seed, or the winner or loser of an earlier match.
type Source struct {
	Kind  SourceKind
	Index int
}

func (s Source) String() string {
	switch s.Kind {
	case FromSeed:
		return fmt.Sprintf("seed %d", s.Index+1)
	case FromWinner:
		return fmt.Sprintf("winner of #%d", s.Index)
	default:
		return fmt.Sprintf("loser of #%d", s.Index)
	}
}

// Match is one match of a bracket. Matches are listed so that every source refers to an
// earlier match.
type Match struct {
	Index int
	Stage Stage
	Group int // round robin group, 0-based; 0 elsewhere
	Round int // 1-based within its stage (and group)
	Order int // 0-based position within its round
	A, B  Source
}

// Bracket is a laid-out tournament.
type Bracket struct {
	Participants int
	Matches      []Match
}

// ErrTooFew is returned for fewer than two participants.
var ErrTooFew = errors.New("bracket: at least two participants are needed")

// node is a slot while a bracket is laid out: empty (a bye), or a source.
type node struct {
	src   Source
	empty bool
}

var bye = node{empty: true}

func seedNode(i int) node { return node{src: Source{Kind: FromSeed, Index: i}} }

type builder struct {
	b Bracket
}

// play pairs two slots in round of stage: a real match when both are filled, otherwise
// the filled one goes through untouched (a bye) and there is no loser. It returns the
// winner's and the loser's slots.
func (bl *builder) play(stage Stage, round, order int, x, y node) (winner, loser node) {
	switch {
	case x.empty && y.empty:
		return bye, bye
	case x.empty:
		return y, bye
	case y.empty:
		return x, bye
	}
	i := len(bl.b.Matches)
	bl.b.Matches = append(bl.b.Matches, Match{Index: i, Stage: stage, Round: round, Order: order, A: x.src, B: y.src})
	return node{src: Source{Kind: FromWinner, Index: i}}, node{src: Source{Kind: FromLoser, Index: i}}
}

// seedOrder is the standard bracket order of seeds 0…size-1 for a power-of-two size: the
// first round pairs 1 v size, and seeds 1 and 2 can meet only in the final, 1–4 only in the
// semifinals, and so on.
func seedOrder(size int) []int {
	order := []int{0}
	for len(order) < size {
		n := 2 * len(order)
		next := make([]int, 0, n)
		for _, s := range order {
			next = append(next, s, n-1-s)
		}
		order = next
	}
	return order
}

func nextPow2(n int) int {
	p := 1
	for p < n {
		p *= 2
	}
	return p
}

// winnersBracket lays out an elimination bracket for n seeds. Seeds beyond n are byes,
// which go to the top seeds. It returns the champion's slot and, per round, the losers'
// slots in bracket order (byes included, as empty slots).
func (bl *builder) winnersBracket(n int, stage Stage) (node, [][]node) {
	size := nextPow2(n)
	slots := make([]node, size)
	for i, s := range seedOrder(size) {
		if s < n {
			slots[i] = seedNode(s)
		} else {
			slots[i] = bye
		}
	}
	var losers [][]node
	for round := 1; len(slots) > 1; round++ {
		next := make([]node, 0, len(slots)/2)
		var lost []node
		order := 0
		for i := 0; i < len(slots); i += 2 {
			w, l := bl.play(stage, round, order, slots[i], slots[i+1])
			if !l.empty {
				order++
			}
			next, lost = append(next, w), append(lost, l)
		}
		slots, losers = next, append(losers, lost)
	}
	return slots[0], losers
}

// SingleElimination lays out n participants in a single elimination bracket: n-1 matches,
// byes for the top seeds when n is not a power of two, and, with thirdPlace, a match
// between the semifinal losers.
func SingleElimination(n int, thirdPlace bool) (*Bracket, error) {
	if n < 2 {
		return nil, ErrTooFew
	}
	bl := &builder{b: Bracket{Participants: n}}
	bl.winnersBracket(n, Winners)
	final := bl.b.Matches[len(bl.b.Matches)-1]
	if thirdPlace && final.A.Kind == FromWinner && final.B.Kind == FromWinner {
		bl.play(ThirdPlace, 1, 0, node{src: Source{FromLoser, final.A.Index}}, node{src: Source{FromLoser, final.B.Index}})
	}
	return &bl.b, nil
}

// pairUp plays neighbouring slots against each other in a losers' round.
func pairUp(bl *builder, round int, slots []node) []node {
	if len(slots) == 1 {
		return slots
	}
	next := make([]node, 0, len(slots)/2)
	order := 0
	for i := 0; i+1 < len(slots); i += 2 {
		w, l := bl.play(Losers, round, order, slots[i], slots[i+1])
		if !l.empty {
			order++
		}
		next = append(next, w)
	}
	return next
}
