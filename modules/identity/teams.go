package identity

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/identity/internal/dbsqlc"
)

// Team is a roster that outlives tournaments. Its creator is its captain.
type Team struct {
	ID         uuid.UUID    `json:"id"`
	Name       string       `json:"name"`
	Tag        *string      `json:"tag,omitempty" doc:"Short tag shown in brackets, 2–8 letters or digits."`
	CaptainID  uuid.UUID    `json:"captain_id"`
	MaxMembers int32        `json:"max_members" doc:"Roster size limit, captain included."`
	Members    []TeamMember `json:"members" doc:"Current roster, oldest member first."`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// TeamMember is a user on a roster.
type TeamMember struct {
	PublicUser
	JoinedAt time.Time `json:"joined_at"`
}

// NewTeam is the input of CreateTeam.
type NewTeam struct {
	Name       string
	Tag        *string
	MaxMembers int32
}

// Invite statuses: an invite is pending until its invitee answers.
const (
	InvitePending  = "pending"
	InviteAccepted = "accepted"
	InviteDeclined = "declined"
)

// TeamInvite is an offer to join a team.
type TeamInvite struct {
	ID        uuid.UUID `json:"id"`
	TeamID    uuid.UUID `json:"team_id"`
	InviteeID uuid.UUID `json:"invitee_id"`
	InviterID uuid.UUID `json:"inviter_id"`
	Status    string    `json:"status" enum:"pending,accepted,declined"`
	CreatedAt time.Time `json:"created_at"`
}

// CreateTeam creates a team captained by the caller. Errors: EUNAUTHORIZED, ECONFLICT
// (name taken).
func (s *Service) CreateTeam(ctx context.Context, in NewTeam) (*Team, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	captain := c.ID
	id, now := db.NewID(), s.now()
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		err := s.q.InsertTeam(ctx, tx, dbsqlc.InsertTeamParams{ID: id, Name: in.Name, Tag: in.Tag, CaptainID: captain, MaxMembers: in.MaxMembers, Now: now})
		if db.UniqueViolation(err) == "teams_name_key" {
			return arena.Errorf(arena.ECONFLICT, "A team with this name already exists.")
		} else if err != nil {
			return err
		}
		if _, err = s.q.InsertTeamMember(ctx, tx, dbsqlc.InsertTeamMemberParams{TeamID: id, UserID: captain, Now: now}); err != nil {
			return err
		}
		return events.AppendTx(ctx, tx, now, teamEvent(events.TeamCreated, captain, id, in.Name))
	})
	if err != nil {
		return nil, err
	}
	return s.getTeam(ctx, s.pool, id)
}

// GetTeam returns a team with its roster (one query). Teams are public. Errors: ENOTFOUND.
func (s *Service) GetTeam(ctx context.Context, teamID string) (*Team, error) {
	id, err := db.ParseID(teamID, "Team")
	if err != nil {
		return nil, err
	}
	return s.getTeam(ctx, s.pool, id)
}

func (s *Service) getTeam(ctx context.Context, conn dbsqlc.DBTX, id uuid.UUID) (*Team, error) {
	row, err := s.q.GetTeam(ctx, conn, id)
	if err != nil {
		return nil, db.NotFound(err, "Team")
	}
	t := &Team{ID: row.ID, Name: row.Name, Tag: row.Tag, CaptainID: row.CaptainID, MaxMembers: row.MaxMembers,
		CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt}
	if err := json.Unmarshal(row.Members, &t.Members); err != nil {
		return nil, fmt.Errorf("decode members of team %s: %w", id, err)
	}
	return t, nil
}

// Invite invites the user with handle to the team. Captain only. Errors: EUNAUTHORIZED,
// EFORBIDDEN (not the captain), ENOTFOUND (team or user), ECONFLICT (already a member,
// already invited, roster full).
func (s *Service) Invite(ctx context.Context, teamID, handle string) (*TeamInvite, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	id, err := db.ParseID(teamID, "Team")
	if err != nil {
		return nil, err
	}
	var inv dbsqlc.InsertInviteRow
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		team, err := s.q.LockTeam(ctx, tx, id)
		if err != nil {
			return db.NotFound(err, "Team")
		}
		if team.CaptainID != c.ID {
			return arena.Errorf(arena.EFORBIDDEN, "Only the team's captain can invite players.")
		}
		if team.MemberCount >= team.MaxMembers {
			return arena.Errorf(arena.ECONFLICT, "The team is full (%d members).", team.MaxMembers)
		}
		invitee, err := s.q.GetUserIDByHandle(ctx, tx, handle)
		if err != nil {
			return db.NotFound(err, "User")
		}
		if member, err := s.q.IsTeamMember(ctx, tx, dbsqlc.IsTeamMemberParams{TeamID: id, UserID: invitee}); err != nil {
			return err
		} else if member {
			return arena.Errorf(arena.ECONFLICT, "This player is already on the team.")
		}
		inv, err = s.q.InsertInvite(ctx, tx, dbsqlc.InsertInviteParams{ID: db.NewID(), TeamID: id, InviteeID: invitee,
			InviterID: c.ID, Now: s.now()})
		if db.UniqueViolation(err) == "team_invites_pending_key" {
			return arena.Errorf(arena.ECONFLICT, "This player already has an open invite to the team.")
		} else if err != nil {
			return err
		}
		return events.AppendTx(ctx, tx, s.now(), inviteEvent(events.TeamInvited, invitee, inv.ID, id, team.Name))
	})
	if err != nil {
		return nil, err
	}
	return &TeamInvite{ID: inv.ID, TeamID: inv.TeamID, InviteeID: inv.InviteeID, InviterID: inv.InviterID,
		Status: inv.Status, CreatedAt: inv.CreatedAt}, nil
}

// AcceptInvite adds the caller to the invite's team and returns the team. Only the invitee
// may answer; to anyone else the invite does not exist. Errors: EUNAUTHORIZED, ENOTFOUND,
// ECONFLICT (already answered, roster full).
func (s *Service) AcceptInvite(ctx context.Context, inviteID string) (*Team, error) {
	var team *Team
	err := s.answerInvite(ctx, inviteID, func(tx pgx.Tx, inv dbsqlc.LockInviteRow, now time.Time) error {
		t, err := s.q.LockTeam(ctx, tx, inv.TeamID)
		if err != nil {
			return db.NotFound(err, "Team")
		}
		if t.MemberCount >= t.MaxMembers {
			return arena.Errorf(arena.ECONFLICT, "The team is full (%d members).", t.MaxMembers)
		}
		if _, err := s.q.InsertTeamMember(ctx, tx, dbsqlc.InsertTeamMemberParams{TeamID: inv.TeamID, UserID: inv.InviteeID, Now: now}); err != nil {
			return err
		}
		if err := s.q.SetInviteStatus(ctx, tx, dbsqlc.SetInviteStatusParams{Status: InviteAccepted, Now: now, ID: inv.ID}); err != nil {
			return err
		}
		if err := events.AppendTx(ctx, tx, now, teamEvent(events.TeamMemberJoined, inv.InviteeID, inv.TeamID, inv.TeamName)); err != nil {
			return err
		}
		team, err = s.getTeam(ctx, tx, inv.TeamID)
		return err
	})
	return team, err
}

// DeclineInvite refuses an invite. Errors as AcceptInvite, without the roster check.
func (s *Service) DeclineInvite(ctx context.Context, inviteID string) error {
	return s.answerInvite(ctx, inviteID, func(tx pgx.Tx, inv dbsqlc.LockInviteRow, now time.Time) error {
		if err := s.q.SetInviteStatus(ctx, tx, dbsqlc.SetInviteStatusParams{Status: InviteDeclined, Now: now, ID: inv.ID}); err != nil {
			return err
		}
		return events.AppendTx(ctx, tx, now, inviteEvent(events.TeamInviteDeclined, inv.InviterID, inv.ID, inv.TeamID, inv.TeamName))
	})
}

// teamEvent is the public event of a team made or a member joining or leaving it; the
// user is the member (the captain, for a new team). Rosters are public, so are these.
func teamEvent(kind string, userID, teamID uuid.UUID, name string) events.Event {
	return events.Event{Type: kind, Visibility: events.Public, UserID: userID,
		Payload: events.TeamData{TeamID: teamID, TeamName: name}}
}

// inviteEvent tells one user of an invite: the invitee that it came, the inviter that it
// was declined. Nobody else sees invites.
func inviteEvent(kind string, to, inviteID, teamID uuid.UUID, name string) events.Event {
	return events.Event{Type: kind, Visibility: events.User, UserID: to,
		Payload: events.InviteData{InviteID: inviteID, TeamID: teamID, TeamName: name}}
}

// answerInvite locks a pending invite addressed to the caller and runs answer on it.
func (s *Service) answerInvite(ctx context.Context, inviteID string, answer func(pgx.Tx, dbsqlc.LockInviteRow, time.Time) error) error {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return err
	}
	id, err := db.ParseID(inviteID, "Invite")
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		inv, err := s.q.LockInvite(ctx, tx, id)
		if err != nil {
			return db.NotFound(err, "Invite")
		}
		if inv.InviteeID != c.ID {
			return arena.Errorf(arena.ENOTFOUND, "Invite not found.")
		}
		if inv.Status != InvitePending {
			return arena.Errorf(arena.ECONFLICT, "The invite was already %s.", inv.Status)
		}
		return answer(tx, inv, s.now())
	})
}

// RemoveMember takes a user off a team: the captain removes anyone else, a member removes
// themself. The captain cannot leave their own team. Errors: EUNAUTHORIZED, EFORBIDDEN,
// ENOTFOUND (team, or user not on it), ECONFLICT (the captain).
func (s *Service) RemoveMember(ctx context.Context, teamID, userID string) error {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return err
	}
	tid, err := db.ParseID(teamID, "Team")
	if err != nil {
		return err
	}
	uid, err := db.ParseID(userID, "Member")
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		team, err := s.q.LockTeam(ctx, tx, tid)
		if err != nil {
			return db.NotFound(err, "Team")
		}
		if team.CaptainID != c.ID && uid != c.ID {
			return arena.Errorf(arena.EFORBIDDEN, "Only the captain can remove other members.")
		}
		if uid == team.CaptainID {
			return arena.Errorf(arena.ECONFLICT, "The captain cannot leave the team.")
		}
		n, err := s.q.DeleteTeamMember(ctx, tx, dbsqlc.DeleteTeamMemberParams{TeamID: tid, UserID: uid})
		if err != nil {
			return err
		}
		if n == 0 {
			return arena.Errorf(arena.ENOTFOUND, "Member not found.")
		}
		return events.AppendTx(ctx, tx, s.now(), teamEvent(events.TeamMemberRemoved, uid, tid, team.Name))
	})
}

// InviteSummary is an open invite as its invitee sees it, with the team and inviter.
type InviteSummary struct {
	ID        uuid.UUID  `json:"id"`
	Team      TeamRef    `json:"team"`
	Inviter   PublicUser `json:"inviter"`
	CreatedAt time.Time  `json:"created_at"`
}

// TeamRef names a team inside another object.
type TeamRef struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
	Tag  *string   `json:"tag,omitempty"`
}

type invitesCursor struct {
	CreatedAt time.Time `json:"t"`
	ID        uuid.UUID `json:"id"`
}

// ListMyInvites pages through the caller's open invites, newest first, with team and
// inviter embedded (one query). It returns the cursor of the next page, "" at the end.
// Errors: EUNAUTHORIZED, EINVALID (bad cursor).
func (s *Service) ListMyInvites(ctx context.Context, cursor string, limit int) ([]InviteSummary, string, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, "", err
	}
	params := dbsqlc.ListMyInvitesParams{InviteeID: c.ID, MaxRows: int32(limit) + 1}
	if cursor != "" {
		var pos invitesCursor
		if err := arena.DecodeCursor(cursor, &pos); err != nil {
			return nil, "", err
		}
		params.AfterCreatedAt, params.AfterID = &pos.CreatedAt, &pos.ID
	}
	rows, err := s.q.ListMyInvites(ctx, s.pool, params)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, limit, func(r dbsqlc.ListMyInvitesRow) any {
		return invitesCursor{CreatedAt: r.CreatedAt, ID: r.ID}
	})
	out := make([]InviteSummary, len(rows))
	for i, r := range rows {
		out[i] = InviteSummary{ID: r.ID, CreatedAt: r.CreatedAt,
			Team:    TeamRef{ID: r.TeamID, Name: r.TeamName, Tag: r.TeamTag},
			Inviter: PublicUser{ID: r.InviterID, Handle: r.InviterHandle, DisplayName: r.InviterDisplayName}}
	}
	return out, next, nil
}

// Roster is a team with its members, as registration needs it.
type Roster struct {
	Team    TeamRef
	Members []PublicUser
}

// RosterTx returns a team the caller captains with its members, for registering it: one
// query in the caller's transaction. Errors: ENOTFOUND (no such team), EFORBIDDEN (not its
// captain).
func (s *Service) RosterTx(ctx context.Context, tx pgx.Tx, teamID, captainID uuid.UUID) (Roster, error) {
	rows, err := s.q.GetRoster(ctx, tx, teamID)
	if err != nil {
		return Roster{}, err
	}
	if len(rows) == 0 {
		return Roster{}, arena.Errorf(arena.ENOTFOUND, "Team not found.")
	}
	if rows[0].CaptainID != captainID {
		return Roster{}, arena.Errorf(arena.EFORBIDDEN, "Only the team's captain can register it.")
	}
	out := Roster{Team: TeamRef{ID: teamID, Name: rows[0].TeamName, Tag: rows[0].TeamTag}, Members: make([]PublicUser, len(rows))}
	for i, r := range rows {
		out.Members[i] = PublicUser{ID: r.ID, Handle: r.Handle, DisplayName: r.DisplayName}
	}
	return out, nil
}

// PlayerTx returns what anyone may see of a user, in the caller's transaction.
// Errors: ENOTFOUND.
func (s *Service) PlayerTx(ctx context.Context, tx pgx.Tx, userID uuid.UUID) (PublicUser, error) {
	r, err := s.q.GetPublicUser(ctx, tx, userID)
	if err != nil {
		return PublicUser{}, db.NotFound(err, "User")
	}
	return PublicUser(r), nil
}
