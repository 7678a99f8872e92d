package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"github.com/arenaesports/arena"
)

// The edge refuses input that the modules' validation cannot see or that Postgres would
// answer with an error (SQLSTATE 22021 for a NUL byte or invalid UTF-8 in text), so that no
// operation has to guard against it on its own:
//   - a NUL byte or invalid UTF-8 in the path answers 404 (no resource has such a name), in
//     a query parameter or a header the API reads 422; in a JSON body a NUL (string or
//     key) answers 422, while invalid UTF-8 there is replaced by U+FFFD by the decoder;
//   - a JSON object with the same key twice answers 422: Go's decoder would keep the last,
//     huma's validator would have checked only one of them;
//   - keys are matched case-sensitively (huma.ValidateStrictCasing, set in newAPI), so a key
//     that differs from a field only by case is an unexpected property (422) instead of
//     silently filling the field after validation looked at another key.

// refuseUnsafeInput answers the requests described above before they reach huma; next
// sees the body unchanged. headers are the request headers some operation reads. It must
// run inside the body size limit.
func refuseUnsafeInput(next http.Handler, headers []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isText(r.URL.Path) {
			writeProblem(w, problemFor(http.StatusNotFound, arena.ENOTFOUND, "No such resource."))
			return
		}
		errs := queryErrors(r.URL.RawQuery)
		for _, name := range headers {
			for _, v := range r.Header.Values(name) {
				if !isText(v) {
					errs = append(errs, &FieldError{Location: "header." + name, Message: msgText})
				}
			}
		}
		if len(errs) > 0 {
			writeProblem(w, invalidInput(errs))
			return
		}
		if r.Body == nil || r.Body == http.NoBody || !isJSON(r.Header.Get("Content-Type")) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeProblem(w, problemFor(http.StatusRequestEntityTooLarge, arena.EINVALID,
					fmt.Sprintf("The request body is larger than %d bytes.", tooBig.Limit)))
				return
			}
			writeProblem(w, problemFor(http.StatusBadRequest, arena.EINVALID, "The request body could not be read."))
			return
		}
		if errs := CheckJSON(body); len(errs) > 0 {
			writeProblem(w, invalidInput(errs))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// isText says whether s is UTF-8 without NUL: what a Postgres text column accepts.
func isText(s string) bool { return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) }

// headerParams lists the request headers the operations of api read, from its OpenAPI
// document, so that a header added to an operation is checked without a list to keep.
func headerParams(api huma.API) []string {
	seen := map[string]bool{}
	var out []string
	for _, item := range api.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch} {
			if op == nil {
				continue
			}
			for _, p := range op.Parameters {
				if name := http.CanonicalHeaderKey(p.Name); p.In == "header" && !seen[name] {
					seen[name] = true
					out = append(out, name)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// isJSON says whether huma would decode a body of this content type as JSON: it does for
// application/json, any +json type, and a missing type (its default format).
func isJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return true // huma falls back to its default format, JSON
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func invalidInput(errs []*FieldError) *Problem {
	p := problemFor(http.StatusUnprocessableEntity, arena.EINVALID, "validation failed")
	p.Errors = errs
	return p
}

// queryErrors lists the query parameters whose name or value is not text (isText). A
// query that does not parse is left to huma, which answers it on its own.
func queryErrors(raw string) []*FieldError {
	if raw == "" {
		return nil
	}
	var errs []*FieldError
	for part := range strings.SplitSeq(raw, "&") {
		name, value, _ := strings.Cut(part, "=")
		n, err1 := url.QueryUnescape(name)
		v, err2 := url.QueryUnescape(value)
		if err1 != nil || err2 != nil {
			continue
		}
		if !isText(n) || !isText(v) {
			errs = append(errs, &FieldError{Location: "query." + strings.ToValidUTF8(strings.ReplaceAll(n, "\x00", ""), ""), Message: msgText})
		}
	}
	return errs
}

const (
	msgText      = "must be UTF-8 text without a NUL character (\\u0000)"
	msgNUL       = "must not contain a NUL character (\\u0000)"
	msgDuplicate = "duplicate key: each key may appear once in an object"
)

// CheckJSON lists the NUL characters (in strings and keys) and duplicate keys in the JSON
// document body, each located by its path (body.a.b[2].c). A document that is not valid
// JSON yields no error here: huma's decoder answers it with its syntax error.
func CheckJSON(body []byte) []*FieldError {
	c := jsonChecker{dec: json.NewDecoder(bytes.NewReader(body))}
	c.dec.UseNumber()
	if err := c.value("body"); err != nil {
		return nil
	}
	if _, err := c.dec.Token(); err != io.EOF {
		return nil // trailing data: not one JSON document
	}
	return c.errs
}

// maxJSONDepth bounds the checker's recursion; huma's decoder refuses deeper documents.
const maxJSONDepth = 10000

type jsonChecker struct {
	dec   *json.Decoder
	errs  []*FieldError
	depth int
}

var errJSONSyntax = errors.New("invalid JSON")

func (c *jsonChecker) value(path string) error {
	tok, err := c.dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case string:
		if strings.IndexByte(t, 0) >= 0 {
			c.errs = append(c.errs, &FieldError{Location: path, Message: msgNUL})
		}
	case json.Delim:
		c.depth++
		defer func() { c.depth-- }()
		if c.depth > maxJSONDepth {
			return errJSONSyntax
		}
		switch t {
		case '{':
			return c.object(path)
		case '[':
			for i := 0; c.dec.More(); i++ {
				if err := c.value(path + "[" + strconv.Itoa(i) + "]"); err != nil {
					return err
				}
			}
			_, err := c.dec.Token() // ']'
			return err
		default:
			return errJSONSyntax
		}
	}
	return nil
}

func (c *jsonChecker) object(path string) error {
	seen := map[string]bool{}
	for c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return errJSONSyntax
		}
		loc := path + "." + strings.ReplaceAll(key, "\x00", "")
		if strings.IndexByte(key, 0) >= 0 {
			c.errs = append(c.errs, &FieldError{Location: loc, Message: msgNUL})
		}
		if seen[key] {
			c.errs = append(c.errs, &FieldError{Location: loc, Message: msgDuplicate})
		}
		seen[key] = true
		if err := c.value(loc); err != nil {
			return err
		}
	}
	_, err := c.dec.Token() // '}'
	return err
}

// jsonFormat is huma's JSON format with decoding errors told in the API's terms: Go's
// decoder names Go types and struct fields ("Go struct field Season.points of type
// int32"), which mean nothing to a client and reveal internals.
var jsonFormat = huma.Format{
	Marshal: marshalJSON,
	Unmarshal: func(data []byte, v any) error {
		return apiDecodeError(json.Unmarshal(data, v))
	},
}

// apiDecodeError rewrites a decoding error of encoding/json into the API's terms: the
// field's JSON path and the JSON type the API expects there.
func apiDecodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := "body"
		if te.Field != "" {
			field += "." + te.Field
		}
		if number, ok := strings.CutPrefix(te.Value, "number "); ok && te.Type != nil && te.Type.Kind() == reflect.Float64 {
			// A number where any number is welcome: it is beyond float64's range (1e400).
			if len(number) > 40 {
				number = number[:40] + "…"
			}
			return fmt.Errorf("%s: the number %s is out of range", field, number)
		}
		return fmt.Errorf("%s: expected %s, got %s", field, jsonTypeName(te.Type), te.Value)
	}
	return err
}

// jsonTypeName names what a value of Go type t is in JSON, with its range for numbers.
func jsonTypeName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		return fmt.Sprintf("an integer from %d to %d", int64(-1)<<(bits-1), int64(1)<<(bits-1)-1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fmt.Sprintf("an integer from 0 to %d", uint64(math.MaxUint64)>>(64-t.Bits()))
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another type"
}
