package tournament

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// FuzzGameSchema: an admin's config schema is accepted or EINVALID, never a panic or a
// fetch; game settings checked against an accepted schema are valid or EINVALID, with a
// message naming where.
func FuzzGameSchema(f *testing.F) {
	f.Add([]byte(`{"type":"object","additionalProperties":false,"required":["best_of"],"properties":{"best_of":{"enum":[1,3,5]},"map_pool":{"type":"array","items":{"type":"string"}}}}`),
		[]byte(`{"best_of":3,"map_pool":["dust2"]}`))
	f.Add([]byte(`{"$ref":"https://example.com/s.json"}`), []byte(`{}`))
	f.Add([]byte(`{"$ref":"#/$defs/a","$defs":{"a":{"$ref":"#/$defs/a"}}}`), []byte(`1`))
	f.Add([]byte(`{"type":"string","pattern":"^(a+)+$","format":"email"}`), []byte(`"aaaa"`))
	f.Add([]byte(`[]`), []byte(`nul`))
	f.Fuzz(func(t *testing.T, schema, settings []byte) {
		if err := checkGame(1, 5, schema); err != nil {
			if arena.ErrorCode(err) != arena.EINVALID {
				t.Fatalf("checkGame: %v is not EINVALID", err)
			}
			return
		}
		s := &Service{schemas: newSchemaCache()}
		g := dbsqlc.Game{ID: uuid.New(), Slug: "g", ConfigSchema: schema, UpdatedAt: time.Unix(0, 0)}
		err := s.validateSettings(g, json.RawMessage(settings))
		if err != nil && arena.ErrorCode(err) != arena.EINVALID {
			t.Fatalf("validateSettings(%s, %s): %v is not EINVALID", schema, settings, err)
		}
	})
}
