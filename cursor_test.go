package arena_test

import (
	"testing"

	"github.com/arenaesports/arena"
)

func TestTrimPage(t *testing.T) {
	t.Parallel()
	pos := func(n int) any { return n }
	rows, next := arena.TrimPage([]int{1, 2, 3}, 3, pos)
	if len(rows) != 3 || next != "" {
		t.Fatalf("a short page: got %v %q, want all rows and no cursor", rows, next)
	}
	rows, next = arena.TrimPage([]int{1, 2, 3, 4}, 3, pos)
	if len(rows) != 3 || next == "" {
		t.Fatalf("a full page: got %v %q, want 3 rows and a cursor", rows, next)
	}
	var last int
	if err := arena.DecodeCursor(next, &last); err != nil || last != 3 {
		t.Fatalf("cursor decodes to %d (%v), want the last kept row", last, err)
	}
	if err := arena.DecodeCursor("%%%", &last); arena.ErrorCode(err) != arena.EINVALID {
		t.Fatalf("a garbled cursor: got %v, want invalid", err)
	}
}
