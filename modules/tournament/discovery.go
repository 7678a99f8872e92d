package tournament

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// TournamentSummary is a tournament as discovery lists it.
type TournamentSummary struct {
	ID                   uuid.UUID    `json:"id"`
	Slug                 string       `json:"slug"`
	Name                 string       `json:"name"`
	Status               string       `json:"status" enum:"published,registration_open,registration_closed,check_in,running,completed,cancelled"`
	Format               string       `json:"format" enum:"single_elimination,double_elimination,round_robin,swiss"`
	ParticipantType      string       `json:"participant_type" enum:"solo,team"`
	Game                 GameRef      `json:"game"`
	Organizer            OrganizerRef `json:"organizer"`
	Capacity             int32        `json:"capacity"`
	Registered           int32        `json:"registered"`
	EntryFee             Money        `json:"entry_fee"`
	RegistrationOpensAt  time.Time    `json:"registration_opens_at"`
	RegistrationClosesAt time.Time    `json:"registration_closes_at"`
	StartsAt             time.Time    `json:"starts_at"`
}

// DiscoveryFilter selects and pages listed tournaments; empty fields do not filter.
type DiscoveryFilter struct {
	Game            string
	Status          string
	ParticipantType string
	StartsAfter     *time.Time
	Q               string
	Cursor          string
	Limit           int
}

// DiscoveryPage is one page of discovery, soonest start first.
type DiscoveryPage struct {
	Items      []TournamentSummary `json:"items"`
	NextCursor string              `json:"next_cursor,omitempty" doc:"Absent on the last page."`
}

type discoveryPage struct {
	page DiscoveryPage
	etag string
}

type discoveryCursor struct {
	StartsAt time.Time `json:"s"`
	ID       uuid.UUID `json:"i"`
}

// Discover lists published tournaments: each item embeds its game, organizer and fill in
// one round trip, with no count query. Pages are cached in process until a write (here or,
// through LISTEN/NOTIFY, in another instance) or the TTL. It returns the page and its ETag.
// Errors: EINVALID (cursor).
func (s *Service) Discover(ctx context.Context, f DiscoveryFilter) (*DiscoveryPage, string, error) {
	key := fmt.Sprintf("%s|%s|%s|%v|%s|%s|%d", f.Game, f.Status, f.ParticipantType, f.StartsAfter, f.Q, f.Cursor, f.Limit)
	now := s.now()
	cached, ok, gen := s.discovery.Get(key, now)
	if ok {
		return &cached.page, cached.etag, nil
	}
	params := dbsqlc.DiscoverTournamentsParams{StartsAfter: f.StartsAfter, MaxRows: int32(f.Limit) + 1}
	if f.Game != "" {
		params.Game = &f.Game
	}
	if f.Status != "" {
		params.Status = &f.Status
	}
	if f.ParticipantType != "" {
		params.ParticipantType = &f.ParticipantType
	}
	if q := prefixQuery(f.Q); q != "" {
		params.Query = &q
	}
	if f.Cursor != "" {
		var c discoveryCursor
		if err := arena.DecodeCursor(f.Cursor, &c); err != nil {
			return nil, "", err
		}
		params.AfterStartsAt, params.AfterID = &c.StartsAt, &c.ID
	}
	rows, err := s.q.DiscoverTournaments(ctx, customPlans{s.pool}, params)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, f.Limit, func(r dbsqlc.DiscoverTournamentsRow) any {
		return discoveryCursor{StartsAt: r.StartsAt, ID: r.ID}
	})
	page := DiscoveryPage{Items: make([]TournamentSummary, 0, len(rows)), NextCursor: next}
	for _, r := range rows {
		page.Items = append(page.Items, TournamentSummary{ID: r.ID, Slug: r.Slug, Name: r.Name, Status: r.Status,
			Format: r.Format, ParticipantType: r.ParticipantType,
			Game:      GameRef{Slug: r.GameSlug, Name: r.GameName},
			Organizer: OrganizerRef{ID: r.OrganizerID, Handle: r.OrganizerHandle, DisplayName: r.OrganizerDisplayName},
			Capacity:  r.Capacity, Registered: r.Taken, EntryFee: Money{Amount: r.EntryFee, Currency: r.Currency},
			RegistrationOpensAt: r.RegistrationOpensAt, RegistrationClosesAt: r.RegistrationClosesAt, StartsAt: r.StartsAt})
	}
	etag := arena.ETag(page)
	s.discovery.Put(key, discoveryPage{page: page, etag: etag}, gen, now)
	return &page, etag, nil
}

// prefixQuery turns free text into a tsquery matching names that contain every word as a
// word prefix ("sum cup" → "sum:* & cup:*"). Only letters and digits survive, so the
// result is always valid tsquery syntax.
func prefixQuery(q string) string {
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 8 {
		words = words[:8]
	}
	for i, w := range words {
		words[i] = w + ":*"
	}
	return strings.Join(words, " & ")
}

// customPlans runs queries as unnamed statements (pgx's describe-cache mode): Postgres
// plans each execution with its actual parameters. Discovery's optional filters
// ("$1 IS NULL OR game = $1") then fold to the filters really given and each combination
// uses its own index; a cached generic plan would keep the OR and could fall back to one
// plan for all. Still one round trip per query.
type customPlans struct{ dbsqlc.DBTX }

func (c customPlans) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return c.DBTX.Query(ctx, sql, append([]any{pgx.QueryExecModeCacheDescribe}, args...)...)
}

func (c customPlans) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return c.DBTX.QueryRow(ctx, sql, append([]any{pgx.QueryExecModeCacheDescribe}, args...)...)
}

func (c customPlans) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return c.DBTX.Exec(ctx, sql, append([]any{pgx.QueryExecModeCacheDescribe}, args...)...)
}
