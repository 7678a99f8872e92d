package arena

import (
	"context"
	"net/netip"
	"slices"

	"github.com/google/uuid"
)

// Roles a user can hold. Every user is a player; organizer and admin are granted by an admin.
const (
	RolePlayer    = "player"
	RoleOrganizer = "organizer"
	RoleAdmin     = "admin"
)

// Caller is the authenticated user a request acts for. Every module authorizes against
// it: an operation that finds no Caller in its context denies.
type Caller struct {
	ID    uuid.UUID // the user's id
	Roles []string
}

// HasRole reports whether the caller holds role.
func (c Caller) HasRole(role string) bool { return slices.Contains(c.Roles, role) }

// CanManage reports whether the caller may manage what ownerID owns (a tournament, say,
// owned by its organizer): it is the owner, or an admin, who moderates everything. The
// zero Caller (nobody signed in) owns nothing, not even what the nil id would own.
func (c Caller) CanManage(ownerID uuid.UUID) bool {
	return (c.ID != uuid.Nil && c.ID == ownerID) || c.HasRole(RoleAdmin)
}

type ctxKey int

const (
	callerKey ctxKey = iota
	clientIPKey
)

// WithCaller returns ctx carrying c; only the authentication middleware calls it.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey, c)
}

// CallerFrom returns the authenticated caller, if any.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey).(Caller)
	return c, ok
}

// RequireCaller returns the authenticated caller, or EUNAUTHORIZED.
func RequireCaller(ctx context.Context) (Caller, error) {
	c, ok := CallerFrom(ctx)
	if !ok {
		return Caller{}, Errorf(EUNAUTHORIZED, "Authentication required.")
	}
	return c, nil
}

// RequireRole returns the authenticated caller if it holds role: EUNAUTHORIZED without a
// caller, EFORBIDDEN without the role.
func RequireRole(ctx context.Context, role string) (Caller, error) {
	c, err := RequireCaller(ctx)
	if err != nil {
		return c, err
	}
	if !c.HasRole(role) {
		return c, Errorf(EFORBIDDEN, "This operation requires the %s role.", role)
	}
	return c, nil
}

// WithClientIP returns ctx carrying the client's address as the HTTP layer resolved it
// (the socket peer, or the forwarded address when the peer is a trusted proxy).
func WithClientIP(ctx context.Context, ip netip.Addr) context.Context {
	return context.WithValue(ctx, clientIPKey, ip)
}

// ClientIP returns the client's address, or the zero Addr when unknown.
func ClientIP(ctx context.Context) netip.Addr {
	ip, _ := ctx.Value(clientIPKey).(netip.Addr)
	return ip
}
