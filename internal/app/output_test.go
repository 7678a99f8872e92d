package app

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestResponsesSendNoNullArrays: every nil slice of a body — at its top, in a nested
// struct, behind a pointer, inside a list — goes out as [], whether the body is a value or a
// pointer; raw JSON is left as it is.
func TestResponsesSendNoNullArrays(t *testing.T) {
	t.Parallel()
	type inner struct {
		Tags []string `json:"tags"`
	}
	type body struct {
		Items  []inner          `json:"items"`
		None   []int            `json:"none"`
		Nested *inner           `json:"nested"`
		List   []inner          `json:"list"`
		Raw    json.RawMessage  `json:"raw,omitempty"`
		Any    any              `json:"any"`
		Map    map[string][]int `json:"map"`
	}
	b := body{Nested: &inner{}, List: []inner{{}}, Any: &inner{}}
	for _, v := range []any{b, &b} {
		var out bytes.Buffer
		require.NoError(t, marshalJSON(&out, v))
		require.JSONEq(t, `{"items":[],"none":[],"nested":{"tags":[]},"list":[{"tags":[]}],"any":{"tags":[]},"map":null}`, out.String())
	}
}
