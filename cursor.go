package arena

import (
	"encoding/base64"
	"encoding/json"
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
