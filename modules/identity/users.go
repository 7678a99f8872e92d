package identity

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/identity/internal/dbsqlc"
)

// User is an account as its owner (or an admin) sees it.
type User struct {
	ID          uuid.UUID `json:"id" doc:"User id (UUIDv7)."`
	Email       string    `json:"email" doc:"Login email; shown only to its owner."`
	Handle      string    `json:"handle" doc:"Unique public name: 3–32 of a-z, 0-9 and _."`
	DisplayName string    `json:"display_name"`
	Country     *string   `json:"country,omitempty" doc:"ISO 3166-1 alpha-2 code."`
	Roles       []string  `json:"roles" enum:"player,organizer,admin" doc:"player always; organizer and admin when granted."`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// PublicUser is what anyone may see of a user: never the email.
type PublicUser struct {
	ID          uuid.UUID `json:"id"`
	Handle      string    `json:"handle"`
	DisplayName string    `json:"display_name"`
	Country     *string   `json:"country,omitempty"`
}

// NewUser is the input of Register and CreateUser. The HTTP layer validates lengths and
// patterns; the database re-checks them.
type NewUser struct {
	Email       string
	Handle      string
	DisplayName string
	Country     *string
	Password    string
}

var allRoles = []string{arena.RolePlayer, arena.RoleOrganizer, arena.RoleAdmin}

// Register creates a player account. Errors: EINVALID (a password too short or long, common,
// or equal to the handle or email), ECONFLICT
// (email or handle taken).
func (s *Service) Register(ctx context.Context, in NewUser) (*User, error) {
	return s.CreateUser(ctx, in, nil)
}

// CreateUser creates an account holding the player role plus extraRoles; it backs
// `arena user create`, which bootstraps the first admin. Errors as Register, and EINVALID
// for an unknown role.
func (s *Service) CreateUser(ctx context.Context, in NewUser, extraRoles []string) (*User, error) {
	if err := checkPassword(in.Password, in.Handle, in.Email); err != nil {
		return nil, err
	}
	roles, err := normalizeRoles(extraRoles)
	if err != nil {
		return nil, err
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	// In a transaction, not a retried statement: an insert that lost its connection while
	// committing must not be run again and then report its own user as a taken handle.
	var row dbsqlc.InsertUserRow
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err = s.q.InsertUser(ctx, tx, dbsqlc.InsertUserParams{
			ID: db.NewID(), Email: in.Email, Handle: in.Handle, DisplayName: in.DisplayName,
			Country: in.Country, Roles: roles, PasswordHash: hash, Now: s.now(),
		})
		if err != nil {
			return err
		}
		return events.AppendTx(ctx, tx, s.now(), accountEvent(events.UserRegistered, row.ID, row.Handle, row.Roles))
	})
	switch db.UniqueViolation(err) {
	case "":
	case "users_email_key":
		return nil, arena.Errorf(arena.ECONFLICT, "An account with this email already exists.")
	case "users_handle_key":
		return nil, arena.Errorf(arena.ECONFLICT, "This handle is taken.")
	}
	if err != nil {
		return nil, err
	}
	return toUser(dbsqlc.GetUserRow(row)), nil
}

// Me returns the caller's own account. Errors: EUNAUTHORIZED.
func (s *Service) Me(ctx context.Context) (*User, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	row, err := s.q.GetUser(ctx, s.pool, c.ID)
	if err != nil {
		return nil, db.NotFound(err, "User")
	}
	return toUser(row), nil
}

// SetRoles replaces a user's roles (player is always kept) and ends their sessions so the
// change applies at once. Admin only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID.
func (s *Service) SetRoles(ctx context.Context, userID string, roles []string) (*User, error) {
	if _, err := arena.RequireRole(ctx, arena.RoleAdmin); err != nil {
		return nil, err
	}
	id, err := db.ParseID(userID, "User")
	if err != nil {
		return nil, err
	}
	normalized, err := normalizeRoles(roles)
	if err != nil {
		return nil, err
	}
	var row dbsqlc.SetUserRolesRow
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if row, err = s.q.SetUserRoles(ctx, tx, dbsqlc.SetUserRolesParams{Roles: normalized, Now: s.now(), ID: id}); err != nil {
			return db.NotFound(err, "User")
		}
		if err := events.AppendTx(ctx, tx, s.now(), accountEvent(events.UserRolesChanged, row.ID, row.Handle, row.Roles)); err != nil {
			return err
		}
		return s.q.DeleteUserSessions(ctx, tx, id)
	})
	if err != nil {
		return nil, err
	}
	return toUser(dbsqlc.GetUserRow(row)), nil
}

// accountEvent is an event of a user's account, for that user alone.
func accountEvent(kind string, id uuid.UUID, handle string, roles []string) events.Event {
	return events.Event{Type: kind, Visibility: events.User, UserID: id, Payload: events.AccountData{Handle: handle, Roles: roles}}
}

// normalizeRoles returns player plus roles in a fixed order. EINVALID: an unknown role, or
// one listed twice.
func normalizeRoles(roles []string) ([]string, error) {
	out := []string{arena.RolePlayer}
	for i, r := range roles {
		if !slices.Contains(allRoles, r) {
			return nil, arena.Errorf(arena.EINVALID, "Unknown role %q.", r)
		}
		if slices.Contains(roles[:i], r) {
			return nil, arena.Errorf(arena.EINVALID, "Role %q is listed twice.", r)
		}
	}
	for _, r := range allRoles[1:] {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

func toUser(r dbsqlc.GetUserRow) *User {
	return &User{ID: r.ID, Email: r.Email, Handle: r.Handle, DisplayName: r.DisplayName,
		Country: r.Country, Roles: r.Roles, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}
