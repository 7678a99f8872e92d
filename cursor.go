package arena

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// EncodeCursor turns a list's position (the sort key of its last item) into the opaque
// next_cursor string clients pass back.
func EncodeCursor(position any) string {
	b, err := json.Marshal(position)
	if err != nil {
		panic("arena: cursor position must be JSON-encodable: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor into position. Anything else — edited,
// truncated, from another list — is EINVALID; callers still validate the decoded values.
func DecodeCursor(cursor string, position any) error {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		err = json.Unmarshal(b, position)
	}
	if err != nil {
		return Errorf(EINVALID, "The cursor is not valid for this list.")
	}
	return nil
}

// Page is the keyset pagination of a list operation, embedded in its input. Lists fetch
// Limit+1 rows; the extra row only says that another page exists.
type Page struct {
	Cursor string `query:"cursor" maxLength:"512" doc:"next_cursor of the previous page; empty for the first."`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"20" doc:"Items per page."`
}

// TrimPage cuts rows fetched with limit+1 down to limit and returns the cursor of the next
// page, made from the last row kept by position, or "" when this is the last page.
func TrimPage[T any](rows []T, limit int, position func(T) any) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, EncodeCursor(position(rows[limit-1]))
}

// NotModified reports whether a GET's If-None-Match header names etag, so that 304 answers
// it (RFC 9110 §13.1.2): "*", or a comma-separated list of tags, weak (W/"…") or strong,
// compared weakly — the opaque part alone.
func NotModified(ifNoneMatch, etag string) bool {
	opaque := func(tag string) string { return strings.TrimPrefix(strings.TrimSpace(tag), "W/") }
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		if t := opaque(tag); t == "*" || (t != "" && t == opaque(etag)) {
			return true
		}
	}
	return false
}

// ETag is a strong entity tag for a response body: a hash of its JSON encoding, so equal
// pages get equal tags whichever instance serves them.
func ETag(body any) string {
	b, err := json.Marshal(body)
	if err != nil {
		panic("arena: ETag body must be JSON-encodable: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}
