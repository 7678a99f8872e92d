package bracket

import (
	"cmp"
	"slices"
)

// minCostPerfectMatching pairs vertices 0…n-1 by a perfect matching of least total cost over
// the pairs cost allows, and reports false when no perfect matching exists. Swiss pairing
// states all its rules as one cost per pair (rematch ≫ bye ≫ cross-group ≫ quality), so the
// cheapest perfect matching is the best pairing: exact, and polynomial however constrained
// the field (a search over pairings can go exponential).
//
// It runs Edmonds' weighted blossom algorithm in Galil's O(n³) primal-dual form, maximising
// weight (maxCost+1-cost, all positive) among maximum-cardinality matchings: when a perfect
// matching exists, that is the cheapest one. Weights are doubled in the slacks so that every
// dual variable stays an integer.
//
// A complete graph of 1 024 players has 523 776 pairs, most of them absurd (the leader
// against the last). So it solves on each vertex's cheapest pairs first and then prices
// every other pair against the optimal duals: a pair with negative reduced cost could
// improve the matching, so it is added and the solve repeated; when none is left, LP duality
// proves the sparse optimum optimal on the whole graph. If the sparse graph has no perfect
// matching, or pricing keeps finding pairs, it solves the whole graph.
//
// Costs at or above 1<<tierShift form tiers (cost>>tierShift): the sparse graph takes each
// vertex's cheapest pairs in every tier, so that a vertex that cannot pair in the cheapest
// tier (a player who must float) has its best pairs of the next one at hand.
func minCostPerfectMatching(n int, cost func(i, j int) (int64, bool), tierShift uint) ([]int, bool) {
	return minCostMatchingFrom(n, cost, tierShift, candidatesPerVertex)
}

// minCostMatchingFrom is minCostPerfectMatching starting from each vertex's k cheapest pairs
// per tier.
func minCostMatchingFrom(n int, cost func(i, j int) (int64, bool), tierShift uint, k int) ([]int, bool) {
	if n%2 == 1 {
		return nil, false
	}
	costs := make([]int64, n*n) // -1: not allowed
	var maxCost int64
	for i := 0; i < n; i++ {
		costs[i*n+i] = -1
		for j := i + 1; j < n; j++ {
			c, ok := cost(i, j)
			if !ok {
				c = -1
			}
			costs[i*n+j], costs[j*n+i] = c, c
			maxCost = max(maxCost, c)
		}
	}
	weight := func(i, j int) int64 { return 2 * (maxCost + 1 - costs[i*n+j]) } // even: see warmStart
	in := cheapestPairs(n, costs, tierShift, k)
	for round := 0; ; round++ {
		m := &matcher{n: n}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if in[i*n+j] {
					m.eu, m.ev, m.ew = append(m.eu, i), append(m.ev, j), append(m.ew, weight(i, j))
				}
			}
		}
		m.run()
		perfect := !slices.Contains(m.mate, -1)
		added := false
		if perfect && round < pricingRounds {
			added = m.price(costs, in, weight)
		} else if round < pricingRounds { // the sparse graph may lack the pairs that complete it
			for k, c := range costs {
				if c >= 0 && !in[k] {
					in[k], added = true, true
				}
			}
		}
		if added {
			continue
		}
		if !perfect {
			return nil, false
		}
		mate := make([]int, n)
		for v := range mate {
			mate[v] = m.endpoint(m.mate[v])
		}
		return mate, true
	}
}

// Sparse solving: each vertex's cheapest pairs, and how many times pricing may add pairs
// before the whole graph is solved.
const (
	candidatesPerVertex = 12
	pricingRounds       = 3
)

// cheapestPairs marks, for every vertex, its k cheapest allowed pairs of each tier (both
// ways), keeping a short sorted list per tier rather than sorting the row.
func cheapestPairs(n int, costs []int64, tierShift uint, k int) []bool {
	in := make([]bool, n*n)
	type tier struct {
		of   int64
		best []int
	}
	var tiers []tier
	for i := 0; i < n; i++ {
		tiers = tiers[:0]
		for j := 0; j < n; j++ {
			c := costs[i*n+j]
			if c < 0 {
				continue
			}
			t := slices.IndexFunc(tiers, func(t tier) bool { return t.of == c>>tierShift })
			if t < 0 {
				tiers, t = append(tiers, tier{of: c >> tierShift}), len(tiers)
			}
			best := tiers[t].best
			if len(best) == k && c >= costs[i*n+best[k-1]] {
				continue
			}
			at, _ := slices.BinarySearchFunc(best, c, func(x int, c int64) int { return cmp.Compare(costs[i*n+x], c+1) })
			tiers[t].best = slices.Insert(best, at, j)[:min(len(best)+1, k)]
		}
		for _, t := range tiers {
			for _, j := range t.best {
				in[i*n+j], in[j*n+i] = true, true
			}
		}
	}
	return in
}

// price adds every allowed pair missing from the graph whose reduced cost under the final
// duals is negative (counting the duals of the blossoms holding both ends), and reports
// whether it added any. None means the duals are feasible for the whole graph, which proves
// the matching optimal there too.
func (m *matcher) price(costs []int64, in []bool, weight func(i, j int) int64) bool {
	n := m.n
	chain := make([][]int, n) // each vertex's blossoms, outermost first
	for v := 0; v < n; v++ {
		for b := m.parent[v]; b != -1; b = m.parent[b] {
			chain[v] = append(chain[v], b)
		}
		slices.Reverse(chain[v])
	}
	added := false
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if costs[i*n+j] < 0 || in[i*n+j] {
				continue
			}
			s := m.dual[i] + m.dual[j] - 2*weight(i, j)
			for d := 0; d < len(chain[i]) && d < len(chain[j]) && chain[i][d] == chain[j][d]; d++ {
				s += 2 * m.dual[chain[i][d]]
			}
			if s < 0 {
				in[i*n+j], in[j*n+i], added = true, true, true
			}
		}
	}
	return added
}

// Labels of the alternating forest.
const (
	free     = 0
	outer    = 1 // S: even distance from a root
	inner    = 2 // T: odd distance
	scanning = 5 // an S-blossom on the path being traced by scanBlossom
)

// matcher is the state of the blossom algorithm. Edge k joins eu[k] and ev[k]; its two
// endpoints are numbered 2k (eu) and 2k+1 (ev), so p^1 is the other end of p. Indices
// 0…n-1 are vertices (trivial blossoms), n…2n-1 non-trivial blossoms.
type matcher struct {
	n         int
	eu, ev    []int
	ew        []int64
	neighbend [][]int // per vertex, the far endpoints of its edges
	mate      []int   // per vertex, the far endpoint of its matched edge, or -1
	label     []int   // per top-level blossom (and per vertex inside a T-blossom)
	labelend  []int   // endpoint through which the label was given, or -1
	inblossom []int   // per vertex, its top-level blossom
	parent    []int   // per blossom, its parent blossom or -1
	childs    [][]int // per blossom, sub-blossoms in cycle order from the base
	endps     [][]int // per blossom, endps[i] joins childs[i] to childs[i+1]
	base      []int   // per blossom, its base vertex (-1: unused)
	bestedge  []int   // least-slack edge to an S-blossom, or -1
	blossomBE [][]int // per S-blossom, its least-slack edges to other S-blossoms
	unused    []int
	dual      []int64
	allowedge []bool
	queue     []int
}

func (m *matcher) endpoint(p int) int {
	if p&1 == 0 {
		return m.eu[p>>1]
	}
	return m.ev[p>>1]
}

func (m *matcher) slack(k int) int64 { return m.dual[m.eu[k]] + m.dual[m.ev[k]] - 2*m.ew[k] }

func (m *matcher) leaves(b int, visit func(v int)) {
	if b < m.n {
		visit(b)
		return
	}
	for _, c := range m.childs[b] {
		m.leaves(c, visit)
	}
}

func (m *matcher) init() {
	n := m.n
	m.neighbend = make([][]int, n)
	for k := range m.eu {
		m.neighbend[m.eu[k]] = append(m.neighbend[m.eu[k]], 2*k+1)
		m.neighbend[m.ev[k]] = append(m.neighbend[m.ev[k]], 2*k)
	}
	fill := func(s []int, v int) []int {
		for i := range s {
			s[i] = v
		}
		return s
	}
	m.mate = fill(make([]int, n), -1)
	m.label = make([]int, 2*n)
	m.labelend = fill(make([]int, 2*n), -1)
	m.inblossom = make([]int, n)
	m.parent = fill(make([]int, 2*n), -1)
	m.childs = make([][]int, 2*n)
	m.endps = make([][]int, 2*n)
	m.base = fill(make([]int, 2*n), -1)
	m.bestedge = fill(make([]int, 2*n), -1)
	m.blossomBE = make([][]int, 2*n)
	m.dual = make([]int64, 2*n)
	m.allowedge = make([]bool, len(m.eu))
	for v := 0; v < n; v++ {
		m.inblossom[v], m.base[v] = v, v
	}
	for b := 2*n - 1; b >= n; b-- {
		m.unused = append(m.unused, b)
	}
	m.warmStart()
}

// warmStart sets each vertex's dual to its heaviest edge (every slack stays non-negative) and
// matches tight edges greedily: a valid primal-dual start, which leaves the stages only the
// conflicts to settle. The duals of S-vertices must share a parity for the halved delta of
// S–S edges to stay an integer; weights are even, so every starting dual is. In a Swiss round most players' cheapest pair is their ideal one, so
// this matches nearly everyone before the first stage.
func (m *matcher) warmStart() {
	for k, w := range m.ew {
		m.dual[m.eu[k]] = max(m.dual[m.eu[k]], w)
		m.dual[m.ev[k]] = max(m.dual[m.ev[k]], w)
	}
	for v := 0; v < m.n; v++ {
		if m.mate[v] >= 0 {
			continue
		}
		for _, p := range m.neighbend[v] {
			if u := m.endpoint(p); m.mate[u] < 0 && m.slack(p>>1) == 0 {
				m.mate[v], m.mate[u] = p, p^1
				break
			}
		}
	}
}

// run grows alternating trees from every exposed vertex and augments, one augmentation per
// stage, adjusting duals when no tight edge is left; it stops when no augmenting path exists.
func (m *matcher) run() {
	m.init()
	n := m.n
	for stage := 0; stage < n; stage++ {
		for i := range m.label {
			m.label[i], m.bestedge[i] = free, -1
		}
		for b := n; b < 2*n; b++ {
			m.blossomBE[b] = nil
		}
		clear(m.allowedge)
		m.queue = m.queue[:0]
		for v := 0; v < n; v++ {
			if m.mate[v] == -1 && m.label[m.inblossom[v]] == free {
				m.assignLabel(v, outer, -1)
			}
		}
		if !m.grow() {
			return
		}
		for b := n; b < 2*n; b++ {
			if m.parent[b] == -1 && m.base[b] >= 0 && m.label[b] == outer && m.dual[b] == 0 {
				m.expandBlossom(b, true)
			}
		}
	}
}

// grow runs one stage; it reports whether it augmented.
func (m *matcher) grow() bool {
	n := m.n
	for {
		for len(m.queue) > 0 {
			v := m.queue[len(m.queue)-1]
			m.queue = m.queue[:len(m.queue)-1]
			for _, p := range m.neighbend[v] {
				k, w := p>>1, m.endpoint(p)
				if m.inblossom[v] == m.inblossom[w] {
					continue
				}
				var kslack int64
				if !m.allowedge[k] {
					if kslack = m.slack(k); kslack <= 0 {
						m.allowedge[k] = true
					}
				}
				switch {
				case m.allowedge[k]:
					switch {
					case m.label[m.inblossom[w]] == free:
						m.assignLabel(w, inner, p^1)
					case m.label[m.inblossom[w]] == outer:
						if b := m.scanBlossom(v, w); b >= 0 {
							m.addBlossom(b, k)
						} else {
							m.augmentMatching(k)
							return true
						}
					case m.label[w] == free: // w is inside a T-blossom, not yet reached
						m.label[w], m.labelend[w] = inner, p^1
					}
				case m.label[m.inblossom[w]] == outer:
					if b := m.inblossom[v]; m.bestedge[b] == -1 || kslack < m.slack(m.bestedge[b]) {
						m.bestedge[b] = k
					}
				case m.label[w] == free:
					if m.bestedge[w] == -1 || kslack < m.slack(m.bestedge[w]) {
						m.bestedge[w] = k
					}
				}
			}
		}
		// No tight edge left: change the duals by the least delta that makes one (or
		// empties a T-blossom's dual). Without one, the matching is maximum: done.
		kind, delta, edge, blossom := 0, int64(0), -1, -1
		consider := func(t int, d int64, k, b int) {
			if kind == 0 || d < delta {
				kind, delta, edge, blossom = t, d, k, b
			}
		}
		for v := 0; v < n; v++ {
			if m.label[m.inblossom[v]] == free && m.bestedge[v] != -1 {
				consider(2, m.slack(m.bestedge[v]), m.bestedge[v], -1)
			}
		}
		for b := 0; b < 2*n; b++ {
			if m.parent[b] == -1 && m.label[b] == outer && m.bestedge[b] != -1 {
				consider(3, m.slack(m.bestedge[b])/2, m.bestedge[b], -1)
			}
		}
		for b := n; b < 2*n; b++ {
			if m.base[b] >= 0 && m.parent[b] == -1 && m.label[b] == inner {
				consider(4, m.dual[b], -1, b)
			}
		}
		if kind == 0 {
			return false
		}
		for v := 0; v < n; v++ {
			switch m.label[m.inblossom[v]] {
			case outer:
				m.dual[v] -= delta
			case inner:
				m.dual[v] += delta
			}
		}
		for b := n; b < 2*n; b++ {
			if m.base[b] >= 0 && m.parent[b] == -1 {
				switch m.label[b] {
				case outer:
					m.dual[b] += delta
				case inner:
					m.dual[b] -= delta
				}
			}
		}
		switch kind {
		case 2:
			m.allowedge[edge] = true
			i := m.eu[edge]
			if m.label[m.inblossom[i]] == free {
				i = m.ev[edge]
			}
			m.queue = append(m.queue, i)
		case 3:
			m.allowedge[edge] = true
			m.queue = append(m.queue, m.eu[edge])
		case 4:
			m.expandBlossom(blossom, false)
		}
	}
}

// assignLabel labels w's top-level blossom t through endpoint p; a T-blossom's mate becomes S.
func (m *matcher) assignLabel(w, t, p int) {
	b := m.inblossom[w]
	m.label[w], m.label[b] = t, t
	m.labelend[w], m.labelend[b] = p, p
	m.bestedge[w], m.bestedge[b] = -1, -1
	if t == outer {
		m.leaves(b, func(v int) { m.queue = append(m.queue, v) })
		return
	}
	base := m.base[b]
	m.assignLabel(m.endpoint(m.mate[base]), outer, m.mate[base]^1)
}

// scanBlossom traces back from v and w; it returns the base of the new blossom where the
// paths meet, or -1 when they reach two roots (an augmenting path).
func (m *matcher) scanBlossom(v, w int) int {
	var path []int
	base := -1
	for v != -1 {
		b := m.inblossom[v]
		if m.label[b] == scanning {
			base = m.base[b]
			break
		}
		path = append(path, b)
		m.label[b] = scanning
		if m.labelend[b] == -1 {
			v = -1
		} else {
			v = m.endpoint(m.labelend[b])
			v = m.endpoint(m.labelend[m.inblossom[v]])
		}
		if w != -1 {
			v, w = w, v
		}
	}
	for _, b := range path {
		m.label[b] = outer
	}
	return base
}
