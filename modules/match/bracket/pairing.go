package bracket

// field is one Swiss round to pair: the players in play in pairing order (score first).
type field struct {
	rec        []record
	ranked     []int
	system     PairingSystem
	rematches  bool // allowed, at a cost that outweighs everything else
	firstRound bool
}

// A pair's cost is a number whose digits, from the most significant, are: rematch, the bye's
// rank from the bottom, cross-group pair, quality. Each tier's base exceeds the most the
// tiers below it can add up to over a round (n ≤ 1 024 players: 513 pairs counting the
// bye), so no amount of a lower tier outweighs one unit of a higher.
const (
	rankBase     = 1 << 11 // above the bye's rank (one bye, rank < 1 024)
	pairsBase    = 1 << 10 // above the cross-group pairs (< 513)
	qualityShift = 22
	qualityBase  = 1 << qualityShift // above the quality (513 pairs × < 4 096)
	maxPlayers   = 1 << 10
)

// Weights inside the quality tier (a pair's quality is below 4 096). They are a weighted
// sum, not strict tiers, in FIDE's order of priority: a floater going beyond the next group
// (C.6), then floating from higher up — the Dutch pairs the top brackets first and fully
// (C.5), so floats are pushed as low in the standings as they can go — then floating the
// same way as in the previous round (C.12, C.13), then an exchange (D.2 exchanges come
// after D.1 transpositions), then displacement from the ideal opponent.
const (
	scoreWeight    = 512 // per group beyond the next one (counted up to 3)
	heightWeight   = 128 // per group the downfloater's group is above the last one (up to 7)
	floatWeight    = 64  // per player floating the same way as in the previous round
	exchangeWeight = 32  // a pair within a group not of the form S1 v S2
	maxDisplace    = 31  // places from the ideal opponent
)

// zone is the part of a score group whose members are paired inside it: after the top
// movedUp residents (who meet players floating down from above) and before the bottom
// floating ones; its top half is S1, its bottom half S2 (C.04.3 B.2).
type zone struct{ from, to int }

func (z zone) half() int { return (z.to - z.from) / 2 }

// pairField pairs the field: the cheapest perfect matching over the players (and a bye
// vertex when their count is odd). The Dutch preferences depend on how many of each
// group float, which the pairing decides: they are first estimated by the float cascade
// (each odd group floats its last player into the next), and if the cheapest pairing
// floats differently it is paired again with the zones it chose.
func pairField(f *field) (Pairing, bool) {
	if len(f.ranked) > maxPlayers {
		return Pairing{}, false
	}
	group, pos, sizes := f.groups()
	bye := -1 // the vertex standing for the bye, after the players
	if len(f.ranked)%2 == 1 {
		bye = len(f.ranked)
	}
	zones := cascade(sizes, f.expectedBye(group))
	vertices := len(f.ranked)
	if bye >= 0 {
		vertices++
	}
	var mate []int
	for attempt := 0; attempt < 2; attempt++ {
		var ok bool
		mate, ok = minCostPerfectMatching(vertices, func(i, j int) (int64, bool) {
			return f.cost(i, j, bye, group, pos, zones)
		}, qualityShift)
		if !ok {
			return Pairing{}, false
		}
		chosen := zonesOf(mate, group, pos, sizes, bye)
		if equalZones(chosen, zones) {
			break
		}
		zones = chosen
	}
	p := Pairing{Bye: -1}
	for i, j := range mate {
		switch {
		case i == bye:
		case j == bye:
			p.Bye = f.ranked[i]
		case i < j:
			p.Matches = append(p.Matches, [2]int{f.ranked[i], f.ranked[j]})
		}
	}
	return p, true
}

// groups numbers the score groups 0, 1, … from the top, and gives each ranked player its
// group and its place in it.
func (f *field) groups() (group, pos, sizes []int) {
	group, pos = make([]int, len(f.ranked)), make([]int, len(f.ranked))
	for i, p := range f.ranked {
		if i > 0 && f.rec[p].points != f.rec[f.ranked[i-1]].points {
			sizes = append(sizes, 0)
		}
		if i == 0 {
			sizes = append(sizes, 0)
		}
		group[i], pos[i] = len(sizes)-1, sizes[len(sizes)-1]
		sizes[len(sizes)-1]++
	}
	return group, pos, sizes
}

// expectedBye is the group of the lowest-ranked player who may have the bye, or -1.
func (f *field) expectedBye(group []int) int {
	if len(f.ranked)%2 == 0 {
		return -1
	}
	for i := len(f.ranked) - 1; i >= 0; i-- {
		if !f.rec[f.ranked[i]].hadBye {
			return group[i]
		}
	}
	return -1
}

// cascade estimates the zones: top-down, each group meets the players floating into it
// with its top residents, and floats its last one down when what is left is odd.
func cascade(sizes []int, byeGroup int) []zone {
	zones := make([]zone, len(sizes))
	carry := 0
	for g, m := range sizes {
		if g == byeGroup {
			m-- // the bye takes the group's last player (its zone ends before them)
		}
		up := min(carry, m)
		down := (carry + m) % 2
		if g == len(sizes)-1 {
			down = 0
		}
		zones[g], carry = zone{up, m - down}, down
	}
	return zones
}

// zonesOf reads the zones a pairing chose: per group, how many residents met players from
// above and how many went below (or had the bye).
func zonesOf(mate, group, pos, sizes []int, bye int) []zone {
	up, down := make([]int, len(sizes)), make([]int, len(sizes))
	for i, j := range mate {
		switch {
		case i == bye:
		case j == bye:
			down[group[i]]++
		case group[i] > group[j]:
			up[group[i]]++
		case group[i] < group[j]:
			down[group[i]]++
		}
	}
	zones := make([]zone, len(sizes))
	for g := range sizes {
		zones[g] = zone{up[g], sizes[g] - down[g]}
	}
	return zones
}

func equalZones(a, b []zone) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// cost prices pairing ranked players i and j (i < j), or i with the bye; ok is false for a
// pair the rules forbid: a rematch (unless allowed), a second bye.
func (f *field) cost(i, j, bye int, group, pos []int, zones []zone) (int64, bool) {
	if j == bye {
		if f.rec[f.ranked[i]].hadBye {
			return 0, false
		}
		rankFromBottom := int64(len(f.ranked) - 1 - i)
		return rankFromBottom * pairsBase * qualityBase, true
	}
	p, q := f.ranked[i], f.ranked[j]
	var rematch, cross int64
	if contains(f.rec[p].opponents, q) {
		if !f.rematches {
			return 0, false
		}
		rematch = 1
	}
	quality := f.quality(i, j, group, pos, zones)
	if group[i] != group[j] {
		cross = 1
	}
	return ((rematch*rankBase)*pairsBase+cross)*qualityBase + int64(quality), true
}

// quality is the system's preference among pairings equal on the tiers above, below 4 096.
func (f *field) quality(i, j int, group, pos []int, zones []zone) int {
	gi, gj := group[i], group[j]
	if gi != gj { // i floats down from gi to meet j, who floats up
		q := min(gj-gi-1, 3)*scoreWeight + min(len(zones)-1-gi, 7)*heightWeight
		if f.rec[f.ranked[i]].float > 0 {
			q += floatWeight
		}
		if f.rec[f.ranked[j]].float < 0 {
			q += floatWeight
		}
		// The k-th downfloater (the last ones of a group float) meets the k-th of the group
		// below (its top residents meet the players from above: B.3, S1 = the MDPs).
		k := pos[i] - zones[gi].to
		displace := abs(k-pos[j]) + max(0, pos[j]-zones[gj].from+1)
		return q + min(displace, maxDisplace)
	}
	a, b, z := pos[i], pos[j], zones[gi]
	if f.system == Valve && !f.firstRound { // the highest meets the lowest
		m := z.to - z.from
		return min(abs(b-z.from-(m-1-(a-z.from))), maxDisplace)
	}
	h := z.half()
	ideal := a + h // S1[k] v S2[k]
	q := 0
	if a < z.from || a >= z.from+h || b < z.from+h || b >= z.to {
		q = exchangeWeight
	}
	return q + min(abs(b-ideal), maxDisplace)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
