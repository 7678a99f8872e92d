package bracket

import "slices"

// The blossom operations of the weighted matcher (weighted.go): shrinking an odd cycle of
// the alternating tree into a blossom, expanding one again, and augmenting through them.

// at indexes a blossom's cycle with negative positions counting from the end.
func at(s []int, j int) int { return s[((j%len(s))+len(s))%len(s)] }

// addBlossom shrinks the cycle closed by edge k, through base, into a new S-blossom.
func (m *matcher) addBlossom(base, k int) {
	v, w := m.eu[k], m.ev[k]
	bb, bv, bw := m.inblossom[base], m.inblossom[v], m.inblossom[w]
	b := m.unused[len(m.unused)-1]
	m.unused = m.unused[:len(m.unused)-1]
	m.base[b], m.parent[b], m.parent[bb] = base, -1, b
	var path, endps []int
	for bv != bb {
		m.parent[bv] = b
		path, endps = append(path, bv), append(endps, m.labelend[bv])
		v = m.endpoint(m.labelend[bv])
		bv = m.inblossom[v]
	}
	path = append(path, bb)
	slices.Reverse(path)
	slices.Reverse(endps)
	endps = append(endps, 2*k)
	for bw != bb {
		m.parent[bw] = b
		path, endps = append(path, bw), append(endps, m.labelend[bw]^1)
		w = m.endpoint(m.labelend[bw])
		bw = m.inblossom[w]
	}
	m.childs[b], m.endps[b] = path, endps
	m.label[b], m.labelend[b], m.dual[b] = outer, m.labelend[bb], 0
	m.leaves(b, func(x int) {
		if m.label[m.inblossom[x]] == inner { // a T-vertex becomes S: scan it
			m.queue = append(m.queue, x)
		}
		m.inblossom[x] = b
	})
	// The new blossom's least-slack edges to each other S-blossom, from its children's.
	bestTo := make(map[int]int)
	for _, c := range path {
		lists := [][]int{m.blossomBE[c]}
		if m.blossomBE[c] == nil {
			lists = lists[:0]
			m.leaves(c, func(x int) {
				edges := make([]int, len(m.neighbend[x]))
				for i, p := range m.neighbend[x] {
					edges[i] = p >> 1
				}
				lists = append(lists, edges)
			})
		}
		for _, list := range lists {
			for _, e := range list {
				j := m.ev[e]
				if m.inblossom[j] == b {
					j = m.eu[e]
				}
				bj := m.inblossom[j]
				if bj == b || m.label[bj] != outer {
					continue
				}
				if cur, ok := bestTo[bj]; !ok || m.slack(e) < m.slack(cur) {
					bestTo[bj] = e
				}
			}
		}
		m.blossomBE[c], m.bestedge[c] = nil, -1
	}
	best := make([]int, 0, len(bestTo))
	for _, e := range bestTo {
		best = append(best, e)
	}
	slices.Sort(best) // deterministic
	m.blossomBE[b], m.bestedge[b] = best, -1
	for _, e := range best {
		if m.bestedge[b] == -1 || m.slack(e) < m.slack(m.bestedge[b]) {
			m.bestedge[b] = e
		}
	}
}

// expandBlossom undoes blossom b. Mid-stage (a T-blossom whose dual reached zero) it relabels
// the children on the even path from the entry child to the base, keeping the tree valid.
func (m *matcher) expandBlossom(b int, endstage bool) {
	for _, s := range m.childs[b] {
		m.parent[s] = -1
		switch {
		case s < m.n:
			m.inblossom[s] = s
		case endstage && m.dual[s] == 0:
			m.expandBlossom(s, endstage)
		default:
			m.leaves(s, func(v int) { m.inblossom[v] = s })
		}
	}
	if !endstage && m.label[b] == inner {
		childs, endps := m.childs[b], m.endps[b]
		entry := m.inblossom[m.endpoint(m.labelend[b]^1)]
		j := slices.Index(childs, entry)
		jstep, trick := -1, 1
		if j&1 == 1 { // go forward round the cycle
			j -= len(childs)
			jstep, trick = 1, 0
		}
		p := m.labelend[b]
		for j != 0 {
			m.label[m.endpoint(p^1)] = free
			m.label[m.endpoint(at(endps, j-trick)^trick^1)] = free
			m.assignLabel(m.endpoint(p^1), inner, p)
			m.allowedge[at(endps, j-trick)>>1] = true
			j += jstep
			p = at(endps, j-trick) ^ trick
			m.allowedge[p>>1] = true
			j += jstep
		}
		bv := at(childs, j)
		m.label[m.endpoint(p^1)], m.label[bv] = inner, inner
		m.labelend[m.endpoint(p^1)], m.labelend[bv] = p, p
		m.bestedge[bv] = -1
		j += jstep
		for at(childs, j) != entry {
			bv := at(childs, j)
			j += jstep
			if m.label[bv] == outer {
				continue
			}
			reached := -1
			m.leaves(bv, func(v int) {
				if reached == -1 && m.label[v] != free {
					reached = v
				}
			})
			if reached >= 0 {
				m.label[reached] = free
				m.label[m.endpoint(m.mate[m.base[bv]])] = free
				m.assignLabel(reached, inner, m.labelend[reached])
			}
		}
	}
	m.label[b], m.labelend[b] = -1, -1
	m.childs[b], m.endps[b], m.blossomBE[b] = nil, nil, nil
	m.base[b], m.bestedge[b] = -1, -1
	m.unused = append(m.unused, b)
}

// augmentBlossom flips the matched edges on the even path from vertex v to the base of b,
// and makes v's child the new base.
func (m *matcher) augmentBlossom(b, v int) {
	t := v
	for m.parent[t] != b {
		t = m.parent[t]
	}
	if t >= m.n {
		m.augmentBlossom(t, v)
	}
	childs, endps := m.childs[b], m.endps[b]
	i := slices.Index(childs, t)
	j := i
	jstep, trick := -1, 1
	if i&1 == 1 {
		j -= len(childs)
		jstep, trick = 1, 0
	}
	for j != 0 {
		j += jstep
		t = at(childs, j)
		p := at(endps, j-trick) ^ trick
		if t >= m.n {
			m.augmentBlossom(t, m.endpoint(p))
		}
		j += jstep
		t = at(childs, j)
		if t >= m.n {
			m.augmentBlossom(t, m.endpoint(p^1))
		}
		m.mate[m.endpoint(p)], m.mate[m.endpoint(p^1)] = p^1, p
	}
	m.childs[b] = append(slices.Clone(childs[i:]), childs[:i]...)
	m.endps[b] = append(slices.Clone(endps[i:]), endps[:i]...)
	m.base[b] = m.base[m.childs[b][0]]
}

// augmentMatching flips the augmenting path through edge k, from each end to its root.
func (m *matcher) augmentMatching(k int) {
	for _, side := range [2][2]int{{m.eu[k], 2*k + 1}, {m.ev[k], 2 * k}} {
		s, p := side[0], side[1]
		for {
			bs := m.inblossom[s]
			if bs >= m.n {
				m.augmentBlossom(bs, s)
			}
			m.mate[s] = p
			if m.labelend[bs] == -1 {
				break // reached a root
			}
			t := m.endpoint(m.labelend[bs])
			bt := m.inblossom[t]
			s = m.endpoint(m.labelend[bt])
			j := m.endpoint(m.labelend[bt] ^ 1)
			if bt >= m.n {
				m.augmentBlossom(bt, j)
			}
			m.mate[j] = m.labelend[bt]
			p = m.labelend[bt] ^ 1
		}
	}
}
