package tournament

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// Game is a title tournaments are played in. Its config schema (JSON Schema) validates each
// tournament's game settings (map pool, best-of, …).
type Game struct {
	ID          uuid.UUID `json:"id"`
	Slug        string    `json:"slug"`
	Name        string    `json:"name"`
	TeamSizeMin int32     `json:"team_size_min" doc:"Smallest roster a team may register with."`
	TeamSizeMax int32     `json:"team_size_max" doc:"Largest roster a team may register with."`
	Platforms   []string  `json:"platforms"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// NewGame is the input of CreateGame; ConfigSchema is a JSON Schema document.
type NewGame struct {
	Slug         string
	Name         string
	TeamSizeMin  int32
	TeamSizeMax  int32
	Platforms    []string
	ConfigSchema json.RawMessage
}

// GamePatch changes the non-nil fields of a game.
type GamePatch struct {
	Name         *string
	TeamSizeMin  *int32
	TeamSizeMax  *int32
	Platforms    []string
	ConfigSchema json.RawMessage
}

// CreateGame adds a game. Admin only. Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID (team
// sizes, schema), ECONFLICT (slug taken).
func (s *Service) CreateGame(ctx context.Context, in NewGame) (*Game, error) {
	if _, err := arena.RequireRole(ctx, arena.RoleAdmin); err != nil {
		return nil, err
	}
	if len(in.ConfigSchema) == 0 {
		in.ConfigSchema = json.RawMessage(`{"type":"object"}`)
	}
	if err := checkGame(in.TeamSizeMin, in.TeamSizeMax, in.ConfigSchema); err != nil {
		return nil, err
	}
	if in.Platforms == nil {
		in.Platforms = []string{}
	}
	// In a transaction, not a retried statement: see identity's CreateUser.
	var row dbsqlc.Game
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) (err error) {
		row, err = s.q.InsertGame(ctx, tx, dbsqlc.InsertGameParams{ID: db.NewID(), Slug: in.Slug, Name: in.Name,
			TeamSizeMin: in.TeamSizeMin, TeamSizeMax: in.TeamSizeMax, Platforms: in.Platforms,
			ConfigSchema: in.ConfigSchema, Now: s.now()})
		if err != nil {
			return err
		}
		return events.AppendTx(ctx, tx, s.now(), gameEvent(events.GameCreated, row))
	})
	if db.UniqueViolation(err) == "games_slug_key" {
		return nil, arena.Errorf(arena.ECONFLICT, "A game with slug %q already exists.", in.Slug)
	} else if err != nil {
		return nil, err
	}
	return toGame(row), nil
}

// UpdateGame changes a game. Admin only. A new config schema applies to tournaments
// validated from then on; existing settings are not re-checked. Errors: as CreateGame, and
// ENOTFOUND.
func (s *Service) UpdateGame(ctx context.Context, slug string, p GamePatch) (*Game, error) {
	if _, err := arena.RequireRole(ctx, arena.RoleAdmin); err != nil {
		return nil, err
	}
	cur, err := s.q.GetGameBySlug(ctx, s.pool, slug)
	if err != nil {
		return nil, db.NotFound(err, "Game")
	}
	lo, hi := cur.TeamSizeMin, cur.TeamSizeMax
	if p.TeamSizeMin != nil {
		lo = *p.TeamSizeMin
	}
	if p.TeamSizeMax != nil {
		hi = *p.TeamSizeMax
	}
	schema := cur.ConfigSchema
	if len(p.ConfigSchema) > 0 {
		schema = p.ConfigSchema
	}
	if err := checkGame(lo, hi, schema); err != nil {
		return nil, err
	}
	params := dbsqlc.UpdateGameParams{Name: p.Name, TeamSizeMin: p.TeamSizeMin, TeamSizeMax: p.TeamSizeMax,
		Platforms: p.Platforms, Now: s.now(), Slug: slug}
	if len(p.ConfigSchema) > 0 {
		params.ConfigSchema = p.ConfigSchema
	}
	var row dbsqlc.Game
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) (err error) {
		if row, err = s.q.UpdateGame(ctx, tx, params); err != nil {
			return db.NotFound(err, "Game")
		}
		return events.AppendTx(ctx, tx, s.now(), gameEvent(events.GameUpdated, row))
	})
	if err != nil {
		return nil, err
	}
	s.invalidate() // discovery embeds game names
	return toGame(row), nil
}

// gameEvent is the public event of a game added or edited.
func gameEvent(kind string, g dbsqlc.Game) events.Event {
	return events.Event{Type: kind, Visibility: events.Public, Payload: events.GameData{Slug: g.Slug, Name: g.Name}}
}

// GetGame returns a game by slug. Errors: ENOTFOUND.
func (s *Service) GetGame(ctx context.Context, slug string) (*Game, error) {
	row, err := s.q.GetGameBySlug(ctx, s.pool, slug)
	if err != nil {
		return nil, db.NotFound(err, "Game")
	}
	return toGame(row), nil
}

// ListGames pages through games by slug; cursor is the previous page's next cursor.
// Errors: EINVALID (cursor).
func (s *Service) ListGames(ctx context.Context, cursor string, limit int) ([]Game, string, error) {
	var after string
	if cursor != "" {
		if err := arena.DecodeCursor(cursor, &after); err != nil {
			return nil, "", err
		}
	}
	rows, err := s.q.ListGames(ctx, s.pool, dbsqlc.ListGamesParams{AfterSlug: after, MaxRows: int32(limit) + 1})
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, limit, func(r dbsqlc.Game) any { return r.Slug })
	out := make([]Game, len(rows))
	for i, r := range rows {
		out[i] = *toGame(dbsqlc.Game(r))
	}
	return out, next, nil
}

// ConfigSchema returns a game's config schema and a strong ETag of its bytes.
// Errors: ENOTFOUND.
func (s *Service) ConfigSchema(ctx context.Context, slug string) (json.RawMessage, string, error) {
	row, err := s.q.GetGameBySlug(ctx, s.pool, slug)
	if err != nil {
		return nil, "", db.NotFound(err, "Game")
	}
	sum := sha256.Sum256(row.ConfigSchema)
	return row.ConfigSchema, `"` + hex.EncodeToString(sum[:12]) + `"`, nil
}

func checkGame(lo, hi int32, schema json.RawMessage) error {
	if lo < 1 || hi < lo || hi > 32 {
		return arena.Errorf(arena.EINVALID, "Team sizes must satisfy 1 ≤ team_size_min ≤ team_size_max ≤ 32.")
	}
	if _, err := compileSchema(schema); err != nil {
		return arena.Errorf(arena.EINVALID, "The config schema is not a valid JSON Schema: %s", err)
	}
	return nil
}

func toGame(r dbsqlc.Game) *Game {
	return &Game{ID: r.ID, Slug: r.Slug, Name: r.Name, TeamSizeMin: r.TeamSizeMin, TeamSizeMax: r.TeamSizeMax,
		Platforms: r.Platforms, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// noLoader refuses every external reference: a schema is data from an admin, and "$ref"
// must not make the server read files or fetch URLs.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external references are not allowed (%s)", url)
}

func compileSchema(raw json.RawMessage) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, errors.New("not JSON")
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, errors.New("the schema must be a JSON object")
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	if err := c.AddResource("game.json", doc); err != nil {
		return nil, errors.New("not a schema document")
	}
	sch, err := c.Compile("game.json")
	if err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:] // the library prefixes internal URLs
		}
		return nil, errors.New(msg)
	}
	return sch, nil
}

// schemaCache keeps compiled schemas per game version, so validation does not recompile.
type schemaCache struct {
	mu sync.Mutex
	m  map[uuid.UUID]compiledSchema
}

type compiledSchema struct {
	updatedAt time.Time
	schema    *jsonschema.Schema
}

func newSchemaCache() *schemaCache { return &schemaCache{m: map[uuid.UUID]compiledSchema{}} }

var printer = message.NewPrinter(language.English)

// validateSettings checks game settings against the game's schema and names the first
// failing path. Errors: EINVALID.
func (s *Service) validateSettings(g dbsqlc.Game, settings json.RawMessage) error {
	s.schemas.mu.Lock()
	cs, ok := s.schemas.m[g.ID]
	s.schemas.mu.Unlock()
	if !ok || !cs.updatedAt.Equal(g.UpdatedAt) {
		sch, err := compileSchema(g.ConfigSchema)
		if err != nil {
			return fmt.Errorf("stored schema of game %s does not compile: %w", g.Slug, err)
		}
		cs = compiledSchema{updatedAt: g.UpdatedAt, schema: sch}
		s.schemas.mu.Lock()
		s.schemas.m[g.ID] = cs
		s.schemas.mu.Unlock()
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(settings))
	if err != nil {
		return arena.Errorf(arena.EINVALID, "Game settings are not valid JSON.")
	}
	err = cs.schema.Validate(doc)
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		for len(ve.Causes) > 0 {
			ve = ve.Causes[0]
		}
		return arena.Errorf(arena.EINVALID, "Game settings are invalid at /%s: %s",
			strings.Join(ve.InstanceLocation, "/"), ve.ErrorKind.LocalizedString(printer))
	}
	return err
}
