package bracket

// maxMatching returns the size of a maximum matching of the graph on vertices 0…n-1 whose
// edges are the pairs adj allows, by Edmonds' cardinality blossom algorithm (O(n³)). It is
// the tests' independent oracle for the Swiss engine (which uses the weighted matcher):
// how many rematches and cross-group pairs a round cannot avoid.
func maxMatching(n int, adj func(i, j int) bool) int {
	match := make([]int, n)
	for i := range match {
		match[i] = -1
	}
	p, base := make([]int, n), make([]int, n)
	used, blossom := make([]bool, n), make([]bool, n)
	q := make([]int, 0, n)

	lca := func(a, b int) int {
		seen := make([]bool, n)
		for {
			a = base[a]
			seen[a] = true
			if match[a] == -1 {
				break
			}
			a = p[match[a]]
		}
		for {
			b = base[b]
			if seen[b] {
				return b
			}
			b = p[match[b]]
		}
	}
	markPath := func(v, b, child int) {
		for base[v] != b {
			blossom[base[v]], blossom[base[match[v]]] = true, true
			p[v] = child
			child = match[v]
			v = p[match[v]]
		}
	}
	findPath := func(root int) int {
		for i := 0; i < n; i++ {
			used[i], p[i], base[i] = false, -1, i
		}
		used[root] = true
		q = append(q[:0], root)
		for len(q) > 0 {
			v := q[0]
			q = q[1:]
			for to := 0; to < n; to++ {
				if to == v || !adj(v, to) || base[v] == base[to] || match[v] == to {
					continue
				}
				if to == root || (match[to] != -1 && p[match[to]] != -1) {
					cur := lca(v, to)
					for i := range blossom {
						blossom[i] = false
					}
					markPath(v, cur, to)
					markPath(to, cur, v)
					for i := 0; i < n; i++ {
						if blossom[base[i]] {
							base[i] = cur
							if !used[i] {
								used[i] = true
								q = append(q, i)
							}
						}
					}
				} else if p[to] == -1 {
					p[to] = v
					if match[to] == -1 {
						return to
					}
					used[match[to]] = true
					q = append(q, match[to])
				}
			}
		}
		return -1
	}

	size := 0
	for v := 0; v < n; v++ {
		if match[v] != -1 {
			continue
		}
		if u := findPath(v); u != -1 {
			size++
			for u != -1 { // flip the augmenting path
				pv := p[u]
				ppv := match[pv]
				match[u], match[pv] = pv, u
				u = ppv
			}
		}
	}
	return size
}
