package bracket

// RoundRobin lays out n participants in groups (1 = everyone in one league): snake seeding
// spreads the seeds over the groups, and the circle method pairs every two members of a
// group exactly once, n-1 rounds for an even group, n for an odd one (one sits out each
// round).
func RoundRobin(n, groups int) (*Bracket, error) {
	if n < 2 {
		return nil, ErrTooFew
	}
	if groups < 1 || n/groups < 2 {
		groups = 1
	}
	b := &Bracket{Participants: n}
	for g, members := range snake(n, groups) {
		if len(members)%2 == 1 {
			members = append(members, -1) // the one who sits out
		}
		m := len(members)
		for round := 1; round < m; round++ {
			order := 0
			for i := 0; i < m/2; i++ {
				x, y := members[i], members[m-1-i]
				if x >= 0 && y >= 0 {
					b.Matches = append(b.Matches, Match{Index: len(b.Matches), Stage: RoundRobinStage, Group: g, Round: round,
						Order: order, A: Source{FromSeed, x}, B: Source{FromSeed, y}})
					order++
				}
			}
			// Circle method: the first member stays, the others rotate one place.
			last := members[m-1]
			copy(members[2:], members[1:m-1])
			members[1] = last
		}
	}
	return b, nil
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
