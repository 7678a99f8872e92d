package arena_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/arenaesports/arena"
)

func TestErrorCode(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("loading: %w", arena.Errorf(arena.ENOTFOUND, "Tournament %q not found.", "x"))
	cases := []struct {
		name    string
		err     error
		code    string
		message string
	}{
		{"Nil", nil, "", ""},
		{"Direct", arena.Errorf(arena.ECONFLICT, "Tournament is full."), arena.ECONFLICT, "Tournament is full."},
		{"Wrapped", wrapped, arena.ENOTFOUND, `Tournament "x" not found.`},
		{"Foreign", errors.New("pq: relation does not exist"), arena.EINTERNAL, "Internal error."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := arena.ErrorCode(tc.err); got != tc.code {
				t.Fatalf("ErrorCode = %q, want %q", got, tc.code)
			}
			if got := arena.ErrorMessage(tc.err); got != tc.message {
				t.Fatalf("ErrorMessage = %q, want %q", got, tc.message)
			}
		})
	}
}
