package registration

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/arenaesports/arena"
	"github.com/google/uuid"

	"github.com/arenaesports/arena/modules/wallet"
)

var requireSession = []map[string][]string{{"bearer": {}}}

// TournamentPath names a tournament.
type TournamentPath struct {
	ID string `path:"id" format:"uuid"`
}

// RegistrationPath names a registration.
type RegistrationPath struct {
	ID string `path:"id" format:"uuid"`
}

// JoinInput is the input of create-registration.
type JoinInput struct {
	TournamentPath
	wallet.IdempotencyKey
	Body struct {
		TeamID  *uuid.UUID     `json:"team_id,omitempty" doc:"For team tournaments: a team the caller captains."`
		Answers map[string]any `json:"answers,omitempty" doc:"Answers to the tournament's custom fields, by key."`
	}
}

// RegistrationOutput wraps a Registration.
type RegistrationOutput struct{ Body *Registration }

// CreatedRegistrationOutput is an entry just made, and where it is.
type CreatedRegistrationOutput struct {
	wallet.Replay
	Location string `header:"Location" doc:"The created resource's URL path."`
	Body     *Registration
}

// RegistrationsOutput is a page of a tournament's registrations.
type RegistrationsOutput struct {
	Body struct {
		Items      []Registration `json:"items"`
		NextCursor string         `json:"next_cursor,omitempty"`
	}
}

// MyRegistrationsOutput is a page of the caller's registrations.
type MyRegistrationsOutput struct {
	Body struct {
		Items      []MyRegistration `json:"items"`
		NextCursor string           `json:"next_cursor,omitempty"`
	}
}

// StatusOutput is a registration's status after a change.
type StatusOutput struct {
	Body struct {
		Status string `json:"status" enum:"pending_payment,confirmed,checked_in,withdrawn,disqualified,dropped,removed,cancelled"`
	}
}

// PaymentInput is the input of submit-registration-payment.
type PaymentInput struct {
	RegistrationPath
	Body struct {
		Reference string `json:"reference" minLength:"1" maxLength:"200" doc:"Bank transfer reference, receipt number, …"`
	}
}

// RefundsOutput wraps RefundProgress.
type RefundsOutput struct{ Body *RefundProgress }

func statusOutput(status string, err error) (*StatusOutput, error) {
	out := &StatusOutput{}
	out.Body.Status = status
	return out, err
}

// Register adds the registration operations to api. Joins are money-moving: they take an
// Idempotency-Key, stored by the wallet's idempotency records.
func Register(api huma.API, svc *Service, keys *wallet.Service) {
	tags := []string{"Registrations"}
	huma.Register(api, huma.Operation{
		OperationID: "create-registration", Method: http.MethodPost, Path: "/v1/tournaments/{id}/registrations",
		Summary: "Register for a tournament (solo, or a team you captain)", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusCreated,
		Description: "One transaction: a slot is taken, the roster and answers checked, every member's entry fee " +
			"charged, the entry recorded and notices queued; any failure leaves nothing behind.",
		Errors: []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, wallet.Idempotent(keys, "create-registration", func(ctx context.Context, in *JoinInput) (*CreatedRegistrationOutput, error) {
		r, err := svc.Register(ctx, in.ID, NewRegistration{TeamID: in.Body.TeamID, Answers: in.Body.Answers})
		if err != nil {
			return nil, err
		}
		return &CreatedRegistrationOutput{Location: "/v1/registrations/" + r.ID.String(), Body: r}, nil
	}))
	huma.Register(api, huma.Operation{
		OperationID: "list-tournament-registrations", Method: http.MethodGet, Path: "/v1/tournaments/{id}/registrations",
		Summary: "A tournament's registrations", Tags: tags, Errors: []int{http.StatusNotFound},
		Description: "Names and statuses for everyone; the organizer also sees payment state and answers.",
	}, func(ctx context.Context, in *struct {
		TournamentPath
		arena.Page
	}) (*RegistrationsOutput, error) {
		items, next, err := svc.TournamentRegistrations(ctx, in.ID, in.Cursor, in.Limit)
		out := &RegistrationsOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-my-registrations", Method: http.MethodGet, Path: "/v1/me/registrations",
		Summary: "The caller's registrations, newest first", Tags: tags, Security: requireSession,
	}, func(ctx context.Context, in *arena.Page) (*MyRegistrationsOutput, error) {
		items, next, err := svc.MyRegistrations(ctx, in.Cursor, in.Limit)
		out := &MyRegistrationsOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-registration", Method: http.MethodGet, Path: "/v1/registrations/{id}",
		Summary: "Get a registration", Tags: tags, Errors: []int{http.StatusNotFound},
		Description: "Name and status for everyone, as the tournament's list; its members and the organizer " +
			"also see payment state and answers.",
	}, func(ctx context.Context, in *RegistrationPath) (*RegistrationOutput, error) {
		r, err := svc.GetRegistration(ctx, in.ID)
		return &RegistrationOutput{Body: r}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "withdraw-registration", Method: http.MethodDelete, Path: "/v1/registrations/{id}",
		Summary: "Withdraw before registration closes; every member's fee is refunded", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *RegistrationPath) (*struct{}, error) {
		return nil, svc.Withdraw(ctx, in.ID)
	})
	huma.Register(api, huma.Operation{
		OperationID: "check-in-registration", Method: http.MethodPost, Path: "/v1/registrations/{id}/check-in",
		Summary: "Check in during the check-in window (a member, or the organizer)", Tags: tags, Security: requireSession,
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *RegistrationPath) (*StatusOutput, error) {
		return statusOutput(svc.CheckIn(ctx, in.ID))
	})
	huma.Register(api, huma.Operation{
		OperationID: "disqualify-registration", Method: http.MethodPost, Path: "/v1/registrations/{id}/disqualify",
		Summary: "Disqualify an entry (organizer); no refund", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *RegistrationPath) (*struct{}, error) {
		return nil, svc.Disqualify(ctx, in.ID)
	})
	huma.Register(api, huma.Operation{
		OperationID: "remove-registration", Method: http.MethodPost, Path: "/v1/registrations/{id}/remove",
		Summary: "Remove an entry after registration closed, before the bracket (organizer)", Tags: tags, Security: requireSession,
		Description: "Frees the slot and records the reason. refund: true pays every member's wallet-charged fee back " +
			"through the ledger (once, whatever the retries); false keeps it in escrow. Manual payments were made " +
			"outside Arena and are refunded there. During registration the entrant withdraws; during play, disqualify " +
			"the side in its match.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *struct {
		RegistrationPath
		Body struct {
			Refund bool   `json:"refund" doc:"Refund the wallet-charged entry fees."`
			Reason string `json:"reason" minLength:"1" maxLength:"500" doc:"Why the entry is removed; the organizer sees it on the registration."`
		}
	}) (*struct{}, error) {
		return nil, svc.Remove(ctx, in.ID, in.Body.Refund, in.Body.Reason)
	})
	huma.Register(api, huma.Operation{
		OperationID: "submit-registration-payment", Method: http.MethodPost, Path: "/v1/registrations/{id}/payment",
		Summary: "Submit a manual payment reference for verification", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *PaymentInput) (*struct{}, error) {
		return nil, svc.SubmitPayment(ctx, in.ID, in.Body.Reference)
	})
	for _, d := range []struct {
		verb, id, summary string
		approve           bool
	}{
		{"approve", "approve-registration-payment", "Approve a manual payment: the entry is confirmed (organizer)", true},
		{"reject", "reject-registration-payment", "Reject a manual payment: the player may submit another (organizer)", false},
	} {
		huma.Register(api, huma.Operation{
			OperationID: d.id, Method: http.MethodPost, Path: "/v1/registrations/{id}/payment/" + d.verb,
			Summary: d.summary, Tags: tags, Security: requireSession,
			Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
		}, func(ctx context.Context, in *RegistrationPath) (*StatusOutput, error) {
			return statusOutput(svc.DecidePayment(ctx, in.ID, d.approve))
		})
	}
	huma.Register(api, huma.Operation{
		OperationID: "get-tournament-refunds", Method: http.MethodGet, Path: "/v1/tournaments/{id}/refunds",
		Summary: "Progress of a cancelled tournament's refunds", Tags: tags, Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *TournamentPath) (*RefundsOutput, error) {
		p, err := svc.Refunds(ctx, in.ID)
		return &RefundsOutput{p}, err
	})
}
