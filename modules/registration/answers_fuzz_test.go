package registration

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/tournament"
)

// answerFields is one question of every type, required or not.
var answerFields = []tournament.CustomField{
	{Key: "discord", Label: "Discord", Type: tournament.FieldText, Required: true},
	{Key: "age", Label: "Age", Type: tournament.FieldNumber},
	{Key: "region", Label: "Region", Type: tournament.FieldSelect, Required: true, Options: []string{"eu", "na"}},
	{Key: "rules", Label: "I accept the rules", Type: tournament.FieldCheckbox, Required: true},
	{Key: "note", Label: "Note", Type: tournament.FieldText},
}

// FuzzCheckAnswers: answers decoded as the API decodes them are accepted or EINVALID, never
// a panic; accepted answers name only asked questions, answer every required one, and each
// with a value of its field's type.
func FuzzCheckAnswers(f *testing.F) {
	f.Add([]byte(`{"discord":"ann#1","region":"eu","rules":true}`))
	f.Add([]byte(`{"discord":"ann","age":17.5,"region":"na","rules":true,"note":null}`))
	f.Add([]byte(`{"discord":"  ","region":"eu","rules":true}`))
	f.Add([]byte(`{"discord":"a","region":"xx","rules":false,"extra":1}`))
	f.Add([]byte(`{"age":1e400}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var answers map[string]any
		if json.Unmarshal(body, &answers) != nil {
			return
		}
		err := checkAnswers(answerFields, answers)
		if err != nil {
			if arena.ErrorCode(err) != arena.EINVALID {
				t.Fatalf("%v is not EINVALID", err)
			}
			return
		}
		for key := range answers {
			if !slices.ContainsFunc(answerFields, func(f tournament.CustomField) bool { return f.Key == key }) {
				t.Fatalf("accepted an answer to %q, which is not asked", key)
			}
		}
		for _, fd := range answerFields {
			v, ok := answers[fd.Key]
			if fd.Required && (!ok || v == nil) {
				t.Fatalf("accepted %s without the required %q", body, fd.Key)
			}
			if v == nil {
				continue
			}
			var typeOK bool
			switch fd.Type {
			case tournament.FieldText:
				_, typeOK = v.(string)
			case tournament.FieldNumber:
				_, typeOK = v.(float64)
			case tournament.FieldSelect:
				s, isStr := v.(string)
				typeOK = isStr && slices.Contains(fd.Options, s)
			case tournament.FieldCheckbox:
				b, isBool := v.(bool)
				typeOK = isBool && (b || !fd.Required)
			}
			if !typeOK {
				t.Fatalf("accepted %v for %q (%s)", v, fd.Key, fd.Type)
			}
		}
	})
}
