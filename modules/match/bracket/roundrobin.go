package bracket

import (
	"errors"
	"slices"
)

// Schedule is the order in which a round robin's pairs meet.
type Schedule string

// Round robin schedules.
const (
	// Berger is FIDE's Berger tables (C.05 Annex 1), the default for printed schedules:
	// the last-numbered player stays on board 1, changing sides every round, while the
	// others rotate by half the table.
	Berger Schedule = "berger"
	// Circle is the circle method: the first player stays, the others rotate one place.
	Circle Schedule = "circle"
)

// Schedules lists the valid schedules, the default first.
var Schedules = []Schedule{Berger, Circle}

// ErrUnknownSchedule is returned for a schedule that is not one of Schedules.
var ErrUnknownSchedule = errors.New("bracket: unknown round robin schedule")

// RoundRobinOptions shape a round robin. The zero value is one league on Berger tables.
type RoundRobinOptions struct {
	Groups   int      // 1 (or 0) = everyone in one league
	Schedule Schedule // "" is Berger
	// Double plays every pair twice: a second cycle repeating the first with sides swapped.
	Double bool
}

// RoundRobin lays out n participants in groups on Berger tables: RoundRobinWith with one
// cycle.
func RoundRobin(n, groups int) (*Bracket, error) {
	return RoundRobinWith(n, RoundRobinOptions{Groups: groups})
}

// RoundRobinWith lays out n participants in groups: snake seeding spreads the seeds over
// the groups, and every two members of a group meet once per cycle, in n-1 rounds for an
// even group and n for an odd one (one sits out each round). Members play as the numbers
// of the schedule in seed order: the group's top seed is 1. Errors: ErrTooFew,
// ErrUnknownSchedule.
func RoundRobinWith(n int, opts RoundRobinOptions) (*Bracket, error) {
	if n < 2 {
		return nil, ErrTooFew
	}
	schedule, err := choose(opts.Schedule, Schedules, ErrUnknownSchedule)
	if err != nil {
		return nil, err
	}
	groups := opts.Groups
	if groups < 1 || n/groups < 2 {
		groups = 1
	}
	b := &Bracket{Participants: n}
	for g, members := range snake(n, groups) {
		if len(members)%2 == 1 {
			members = append(members, -1) // the one who sits out: the last number
		}
		rounds := circleRounds(members)
		if schedule == Berger {
			rounds = bergerRounds(members)
		}
		cycles := 1
		if opts.Double {
			cycles = 2
		}
		for cycle := 0; cycle < cycles; cycle++ {
			for r, pairs := range rounds {
				order := 0
				for _, p := range pairs {
					x, y := p[0], p[1]
					if x < 0 || y < 0 {
						continue
					}
					if cycle == 1 {
						x, y = y, x
					}
					b.Matches = append(b.Matches, Match{Index: len(b.Matches), Stage: RoundRobinStage, Group: g,
						Round: cycle*len(rounds) + r + 1, Order: order, A: Source{FromSeed, x}, B: Source{FromSeed, y}})
					order++
				}
			}
		}
	}
	return b, nil
}

// bergerRounds pairs an even number of members by Berger tables. With m members, the
// others (numbers 1…m-1) are listed from number 1+(r-1)·m/2 (mod m-1) in round r; the first
// listed meets number m (listed first in odd rounds), the second the last listed, and so on.
func bergerRounds(members []int) [][][2]int {
	m := len(members)
	rounds := make([][][2]int, m-1)
	for r := range rounds {
		start := r * (m / 2) % (m - 1)
		list := make([]int, m-1)
		for i := range list {
			list[i] = members[(start+i)%(m-1)]
		}
		first := [2]int{list[0], members[m-1]}
		if r%2 == 1 {
			first = [2]int{members[m-1], list[0]}
		}
		pairs := [][2]int{first}
		for i := 1; i < m/2; i++ {
			pairs = append(pairs, [2]int{list[i], list[m-1-i]})
		}
		rounds[r] = pairs
	}
	return rounds
}

// circleRounds pairs an even number of members by the circle method: the first member
// stays, the others rotate one place each round.
func circleRounds(members []int) [][][2]int {
	members = slices.Clone(members)
	m := len(members)
	rounds := make([][][2]int, m-1)
	for r := range rounds {
		for i := 0; i < m/2; i++ {
			rounds[r] = append(rounds[r], [2]int{members[i], members[m-1-i]})
		}
		last := members[m-1]
		copy(members[2:], members[1:m-1])
		members[1] = last
	}
	return rounds
}

// snake deals seeds 0…n-1 into groups 1, 2, …, g, g, …, 2, 1, 1, 2, … so that group
// strengths even out.
func snake(n, groups int) [][]int {
	out := make([][]int, groups)
	for s := 0; s < n; s++ {
		pass, at := s/groups, s%groups
		if pass%2 == 1 {
			at = groups - 1 - at
		}
		out[at] = append(out[at], s)
	}
	return out
}
