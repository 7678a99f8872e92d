package app

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// sample is a request body with the field types whose decoding errors Go describes in its
// own terms.
type sample struct {
	Points []int32            `json:"points"`
	Amount int64              `json:"amount"`
	Fee    *struct{ N uint8 } `json:"fee"`
	Name   string             `json:"name"`
	Tags   map[string]bool    `json:"tags"`
}

// FuzzCheckJSON checks the edge's JSON checker against an independent oracle: a valid
// document passes exactly when decoding it loses no key (no duplicate) and yields no NUL;
// and the API's decoder never describes an error with Go's types.
func FuzzCheckJSON(f *testing.F) {
	f.Add([]byte(`{"amount":5,"currency":"USD","Amount":10000000000000}`))
	f.Add([]byte(`{"amount":5,"amount":6}`))
	f.Add([]byte(`{"a":{"b":[{"c":1,"c":2}]}}`))
	f.Add([]byte(`{"name":"x\u0000y"}`))
	f.Add([]byte(`{"na\u0000me":1}`))
	f.Add([]byte(`{"points":[3000000000],"fee":{"N":300},"tags":{"a":1}}`))
	f.Add([]byte(`[[[[[]]]]]`))
	f.Add([]byte(`{"a":1,`))
	f.Fuzz(func(t *testing.T, body []byte) {
		errs := CheckJSON(body)
		var err error
		if err = jsonFormat.Unmarshal(body, new(sample)); err != nil && strings.Contains(err.Error(), "Go ") {
			t.Fatalf("decode error in Go's terms: %v", err)
		}
		if !json.Valid(body) {
			if len(errs) > 0 {
				t.Fatalf("invalid JSON %q reported as %v; huma answers it", body, errs)
			}
			return
		}
		// json.Number: a valid number beyond float64's range (1e400) still decodes.
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		clean := tokenKeys(t, body) == decodedKeys(doc) && !holdsNUL(doc)
		if clean != (len(errs) == 0) {
			t.Fatalf("%q: clean is %v but the checker reported %d error(s)", body, clean, len(errs))
		}
	})
}

// tokenKeys counts the object keys in body as written.
func tokenKeys(t *testing.T, body []byte) int {
	dec := json.NewDecoder(bytes.NewReader(body))
	n := 0
	var inObject []bool // per open container: is it an object, expecting a key next?
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				inObject = append(inObject, true)
				expectKey = true
			case '[':
				inObject = append(inObject, false)
				expectKey = false
			default:
				inObject = inObject[:len(inObject)-1]
				expectKey = len(inObject) > 0 && inObject[len(inObject)-1]
			}
			continue
		}
		if expectKey {
			n++
			expectKey = false
		} else if len(inObject) > 0 && inObject[len(inObject)-1] {
			expectKey = true
		}
	}
}

// decodedKeys counts the keys left after decoding (duplicates collapse into one).
func decodedKeys(v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		for _, e := range v {
			n += 1 + decodedKeys(e)
		}
	case []any:
		for _, e := range v {
			n += decodedKeys(e)
		}
	}
	return n
}

func holdsNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case map[string]any:
		for k, e := range v {
			if strings.IndexByte(k, 0) >= 0 || holdsNUL(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if holdsNUL(e) {
				return true
			}
		}
	}
	return false
}
