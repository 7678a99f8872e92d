package arena_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/arenaesports/arena"
)

func TestRequireRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if _, err := arena.RequireRole(ctx, arena.RoleAdmin); arena.ErrorCode(err) != arena.EUNAUTHORIZED {
		t.Fatalf("anonymous: got %v, want unauthorized", err)
	}
	player := arena.WithCaller(ctx, arena.Caller{ID: uuid.New(), Roles: []string{arena.RolePlayer}})
	if _, err := arena.RequireRole(player, arena.RoleAdmin); arena.ErrorCode(err) != arena.EFORBIDDEN {
		t.Fatalf("player: got %v, want forbidden", err)
	}
	adminID := uuid.New()
	admin := arena.WithCaller(ctx, arena.Caller{ID: adminID, Roles: []string{arena.RolePlayer, arena.RoleAdmin}})
	c, err := arena.RequireRole(admin, arena.RoleAdmin)
	if err != nil || c.ID != adminID {
		t.Fatalf("admin: got %v, %v", c, err)
	}
}

func TestCanManage(t *testing.T) {
	t.Parallel()
	owner, other := uuid.New(), uuid.New()
	player := arena.Caller{ID: owner, Roles: []string{arena.RolePlayer, arena.RoleOrganizer}}
	if !player.CanManage(owner) {
		t.Error("the owner cannot manage what it owns")
	}
	if player.CanManage(other) {
		t.Error("an organizer can manage what another owns")
	}
	admin := arena.Caller{ID: other, Roles: []string{arena.RolePlayer, arena.RoleAdmin}}
	if !admin.CanManage(owner) {
		t.Error("an admin cannot manage what another owns")
	}
	if (arena.Caller{}).CanManage(uuid.Nil) {
		t.Error("the zero caller manages the nil owner")
	}
}
