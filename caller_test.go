package arena_test

import (
	"context"
	"testing"

	"github.com/arenaesports/arena"
)

func TestRequireRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if _, err := arena.RequireRole(ctx, arena.RoleAdmin); arena.ErrorCode(err) != arena.EUNAUTHORIZED {
		t.Fatalf("anonymous: got %v, want unauthorized", err)
	}
	player := arena.WithCaller(ctx, arena.Caller{UserID: "u1", Roles: []string{arena.RolePlayer}})
	if _, err := arena.RequireRole(player, arena.RoleAdmin); arena.ErrorCode(err) != arena.EFORBIDDEN {
		t.Fatalf("player: got %v, want forbidden", err)
	}
	admin := arena.WithCaller(ctx, arena.Caller{UserID: "u2", Roles: []string{arena.RolePlayer, arena.RoleAdmin}})
	c, err := arena.RequireRole(admin, arena.RoleAdmin)
	if err != nil || c.UserID != "u2" {
		t.Fatalf("admin: got %v, %v", c, err)
	}
}
