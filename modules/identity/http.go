package identity

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/arenaesports/arena"
)

// SecurityScheme is the OpenAPI name of bearer-session authentication. An operation that
// lists it requires a session; one that does not is public.
const SecurityScheme = "bearer"

var requireSession = []map[string][]string{{SecurityScheme: {}}}

// RequiresSession reports whether an operation's security requirement demands a session:
// it has one, and no empty alternative (which an operation open to anonymous callers
// declares beside the bearer scheme).
func RequiresSession(security []map[string][]string) bool {
	return len(security) > 0 && !slices.ContainsFunc(security, func(s map[string][]string) bool { return len(s) == 0 })
}

// UseAuthentication installs the middleware that authenticates bearer tokens and enforces
// every operation's Security requirement. It must run before any operation is registered,
// because huma binds middleware at registration.
func UseAuthentication(api huma.API, svc *Service) {
	oapi := api.OpenAPI()
	if oapi.Components.SecuritySchemes == nil {
		oapi.Components.SecuritySchemes = map[string]*huma.SecurityScheme{}
	}
	oapi.Components.SecuritySchemes[SecurityScheme] = &huma.SecurityScheme{
		Type: "http", Scheme: "bearer", Description: "A session token from POST /v1/auth/login.",
	}
	api.UseMiddleware(func(hctx huma.Context, next func(huma.Context)) {
		token, hasToken := bearerToken(hctx.Header("Authorization"))
		if !hasToken {
			if RequiresSession(hctx.Operation().Security) {
				unauthorized(api, hctx, "Authentication required.")
				return
			}
			next(hctx)
			return
		}
		caller, err := svc.Authenticate(hctx.Context(), token)
		if arena.ErrorCode(err) == arena.EUNAUTHORIZED {
			unauthorized(api, hctx, arena.ErrorMessage(err))
			return
		} else if err != nil {
			_ = huma.WriteErr(api, hctx, http.StatusInternalServerError, "", err)
			return
		}
		ctx := context.WithValue(arena.WithCaller(hctx.Context(), caller), sessionTokenKey{}, token)
		next(huma.WithContext(hctx, ctx))
	})
}

// sessionTokenKey is the context key of the bearer token the caller authenticated with:
// logout ends that session, and reads it here rather than from a header parameter that
// would duplicate the bearer security scheme in the API document.
type sessionTokenKey struct{}

func unauthorized(api huma.API, hctx huma.Context, msg string) {
	hctx.SetHeader("WWW-Authenticate", `Bearer realm="arena"`)
	_ = huma.WriteErr(api, hctx, http.StatusUnauthorized, msg)
}

func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// Request and response shapes. Lengths and patterns are enforced by huma before a handler
// runs; unknown fields are rejected (422), so a client cannot smuggle in e.g. roles.

// RegisterInput is the body of register-user.
type RegisterInput struct {
	Body struct {
		Email       string  `json:"email" format:"email" maxLength:"254"`
		Handle      string  `json:"handle" pattern:"^[a-z0-9_]{3,32}$" minLength:"3" maxLength:"32"`
		DisplayName string  `json:"display_name" minLength:"1" maxLength:"64"`
		Country     *string `json:"country,omitempty" pattern:"^[A-Z]{2}$" doc:"ISO 3166-1 alpha-2 code."`
		Password    string  `json:"password" minLength:"8" maxLength:"128" doc:"Refused when it is one character repeated, one of the 10 000 most common passwords, or (ignoring case) the handle, the email or its local part."`
	}
}

// UserOutput wraps a User body.
type UserOutput struct{ Body *User }

// LoginInput is the body of login.
type LoginInput struct {
	Body struct {
		Login    string `json:"login" minLength:"1" maxLength:"254" doc:"Email or handle."`
		Password string `json:"password" minLength:"1" maxLength:"128"`
	}
}

// SessionOutput wraps a Session body.
type SessionOutput struct{ Body *Session }

// SetRolesInput is the input of set-user-roles.
type SetRolesInput struct {
	UserID string `path:"user_id" format:"uuid"`
	Body   struct {
		// Not uniqueItems: huma 2.37.2's validator hashes the items to check it and panics on
		// an object or array item; the service refuses a role listed twice instead.
		Roles []string `json:"roles" maxItems:"3" enum:"player,organizer,admin" doc:"The user's roles, each at most once; player is always kept."`
	}
}

// CreateTeamInput is the body of create-team.
type CreateTeamInput struct {
	Body struct {
		Name       string  `json:"name" minLength:"2" maxLength:"64"`
		Tag        *string `json:"tag,omitempty" pattern:"^[A-Za-z0-9]{2,8}$"`
		MaxMembers int32   `json:"max_members,omitempty" minimum:"1" maximum:"32" default:"8" doc:"Roster size limit, captain included."`
	}
}

// TeamOutput wraps a Team body.
type TeamOutput struct{ Body *Team }

// CreatedTeamOutput is a team just made, and where it is.
type CreatedTeamOutput struct {
	Location string `header:"Location" doc:"The created resource's URL path."`
	Body     *Team
}

// TeamPath names a team.
type TeamPath struct {
	TeamID string `path:"team_id" format:"uuid"`
}

// InviteInput is the input of create-team-invite.
type InviteInput struct {
	TeamPath
	Body struct {
		Handle string `json:"handle" minLength:"3" maxLength:"32" doc:"Handle of the player to invite."`
	}
}

// InviteOutput wraps a TeamInvite body.
type InviteOutput struct{ Body *TeamInvite }

// InvitePath names an invite.
type InvitePath struct {
	InviteID string `path:"invite_id" format:"uuid"`
}

// MemberPath names a member of a team.
type MemberPath struct {
	TeamPath
	UserID string `path:"user_id" format:"uuid"`
}

// InvitesOutput is a page of open invites.
type InvitesOutput struct {
	Body struct {
		Items      []InviteSummary `json:"items"`
		NextCursor string          `json:"next_cursor,omitempty" doc:"Absent on the last page."`
	}
}

// Register adds the identity operations to api. limiter bounds requests per client
// address on the unauthenticated auth endpoints.
func Register(api huma.API, svc *Service, limiter *RateLimiter) {
	limited := huma.Middlewares{limiter.middleware(api)}

	huma.Register(api, huma.Operation{
		OperationID: "register-user", Method: http.MethodPost, Path: "/v1/auth/register",
		Summary: "Create an account", Tags: []string{"Auth"}, DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusTooManyRequests}, Middlewares: limited,
	}, func(ctx context.Context, in *RegisterInput) (*UserOutput, error) {
		u, err := svc.Register(ctx, NewUser{Email: in.Body.Email, Handle: in.Body.Handle,
			DisplayName: in.Body.DisplayName, Country: in.Body.Country, Password: in.Body.Password})
		return &UserOutput{u}, err
	})

	huma.Register(api, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/v1/auth/login",
		Summary: "Log in and open a session", Tags: []string{"Auth"},
		Description: "Five failed logins within 15 minutes lock the account (429 with Retry-After) " +
			"for 15 minutes, doubling with each further lockout until a successful login.",
		Errors: []int{http.StatusUnauthorized, http.StatusTooManyRequests}, Middlewares: limited,
	}, func(ctx context.Context, in *LoginInput) (*SessionOutput, error) {
		s, err := svc.Login(ctx, in.Body.Login, in.Body.Password)
		var locked *LockedError
		if errors.As(err, &locked) {
			return nil, huma.ErrorWithHeaders(err, http.Header{"Retry-After": {retryAfter(locked.RetryAfter)}})
		}
		return &SessionOutput{s}, err
	})

	huma.Register(api, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/v1/auth/logout",
		Summary: "End the current session", Tags: []string{"Auth"}, Security: requireSession,
		DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		token, _ := ctx.Value(sessionTokenKey{}).(string)
		return nil, svc.Logout(ctx, token)
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/v1/me",
		Summary: "Get the caller's account", Tags: []string{"Users"}, Security: requireSession,
	}, func(ctx context.Context, _ *struct{}) (*UserOutput, error) {
		u, err := svc.Me(ctx)
		return &UserOutput{u}, err
	})

	huma.Register(api, huma.Operation{
		OperationID: "set-user-roles", Method: http.MethodPut, Path: "/v1/admin/users/{user_id}/roles",
		Summary: "Replace a user's roles (admin)", Tags: []string{"Admin"}, Security: requireSession,
		Description: "Ends the user's sessions so the new roles apply at once.",
		Errors:      []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *SetRolesInput) (*UserOutput, error) {
		u, err := svc.SetRoles(ctx, in.UserID, in.Body.Roles)
		return &UserOutput{u}, err
	})

	huma.Register(api, huma.Operation{
		OperationID: "create-team", Method: http.MethodPost, Path: "/v1/teams",
		Summary: "Create a team captained by the caller", Tags: []string{"Teams"}, Security: requireSession,
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *CreateTeamInput) (*CreatedTeamOutput, error) {
		t, err := svc.CreateTeam(ctx, NewTeam{Name: in.Body.Name, Tag: in.Body.Tag, MaxMembers: in.Body.MaxMembers})
		if err != nil {
			return nil, err
		}
		return &CreatedTeamOutput{Location: "/v1/teams/" + t.ID.String(), Body: t}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-team", Method: http.MethodGet, Path: "/v1/teams/{team_id}",
		Summary: "Get a team and its roster", Tags: []string{"Teams"}, Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *TeamPath) (*TeamOutput, error) {
		t, err := svc.GetTeam(ctx, in.TeamID)
		return &TeamOutput{t}, err
	})

	huma.Register(api, huma.Operation{
		OperationID: "create-team-invite", Method: http.MethodPost, Path: "/v1/teams/{team_id}/invites",
		Summary: "Invite a player to the team (captain)", Tags: []string{"Teams"}, Security: requireSession,
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *InviteInput) (*InviteOutput, error) {
		inv, err := svc.Invite(ctx, in.TeamID, in.Body.Handle)
		return &InviteOutput{inv}, err
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-my-team-invites", Method: http.MethodGet, Path: "/v1/me/team-invites",
		Summary: "List the caller's open team invites", Tags: []string{"Teams"}, Security: requireSession,
	}, func(ctx context.Context, in *arena.Page) (*InvitesOutput, error) {
		items, next, err := svc.ListMyInvites(ctx, in.Cursor, in.Limit)
		out := &InvitesOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})

	huma.Register(api, huma.Operation{
		OperationID: "accept-team-invite", Method: http.MethodPost, Path: "/v1/team-invites/{invite_id}/accept",
		Summary: "Accept a team invite", Tags: []string{"Teams"}, Security: requireSession,
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *InvitePath) (*TeamOutput, error) {
		t, err := svc.AcceptInvite(ctx, in.InviteID)
		return &TeamOutput{t}, err
	})

	huma.Register(api, huma.Operation{
		OperationID: "decline-team-invite", Method: http.MethodPost, Path: "/v1/team-invites/{invite_id}/decline",
		Summary: "Decline a team invite", Tags: []string{"Teams"}, Security: requireSession,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *InvitePath) (*struct{}, error) {
		return nil, svc.DeclineInvite(ctx, in.InviteID)
	})

	huma.Register(api, huma.Operation{
		OperationID: "remove-team-member", Method: http.MethodDelete, Path: "/v1/teams/{team_id}/members/{user_id}",
		Summary: "Remove a member (captain) or leave the team (member)", Tags: []string{"Teams"}, Security: requireSession,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *MemberPath) (*struct{}, error) {
		return nil, svc.RemoveMember(ctx, in.TeamID, in.UserID)
	})
}

func retryAfter(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}

// middleware answers 429 with Retry-After once an address exceeds its rate; a nil
// limiter lets everything through.
func (l *RateLimiter) middleware(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(hctx huma.Context, next func(huma.Context)) {
		if l == nil {
			next(hctx)
			return
		}
		if ok, wait := l.allow(arena.ClientIP(hctx.Context())); !ok {
			hctx.SetHeader("Retry-After", retryAfter(wait))
			_ = huma.WriteErr(api, hctx, http.StatusTooManyRequests, "Too many requests from this address; retry later.")
			return
		}
		next(hctx)
	}
}
