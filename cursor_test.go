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

// TestNotModified: If-None-Match as RFC 9110 reads it — lists, weak tags, "*".
func TestNotModified(t *testing.T) {
	t.Parallel()
	etag := `"abc"`
	for header, want := range map[string]bool{
		`"abc"`: true, `W/"abc"`: true, `"x", "abc"`: true, `"x",W/"abc"`: true, `*`: true,
		``: false, `"abcd"`: false, `"x", "y"`: false, `abc`: false, `W/`: false,
	} {
		if got := arena.NotModified(header, etag); got != want {
			t.Errorf("NotModified(%q, %q) = %v, want %v", header, etag, got, want)
		}
	}
}
