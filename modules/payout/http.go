package payout

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

var requireSession = []map[string][]string{{"bearer": {}}}

// TournamentPath names a tournament by id.
type TournamentPath struct {
	ID string `path:"id" format:"uuid"`
}

// PrizesOutput is a tournament's prizes.
type PrizesOutput struct{ Body *Prizes }

// StatementOutput is a payout statement.
type StatementOutput struct{ Body *Statement }

// Register adds the module's operations to api.
func Register(api huma.API, svc *Service) {
	tags := []string{"Prizes"}
	huma.Register(api, huma.Operation{
		OperationID: "get-tournament-prizes", Method: http.MethodGet, Path: "/v1/tournaments/{id}/prizes",
		Summary: "The prize pool and the amount per place", Tags: tags, Errors: []int{http.StatusNotFound},
		Description: "The pool now (entry fees kept, less the platform's fee, plus the organizer's added prize) and each " +
			"place's amount as it would be paid if the tournament ended now; once it completed, as fixed then.",
	}, func(ctx context.Context, in *TournamentPath) (*PrizesOutput, error) {
		p, err := svc.Prizes(ctx, in.ID)
		return &PrizesOutput{p}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-tournament-payouts", Method: http.MethodGet, Path: "/v1/tournaments/{id}/payouts",
		Summary: "The payout statement of a completed tournament", Tags: tags, Errors: []int{http.StatusNotFound},
		Description: "Each paid entry's place, prize, status and recipients with their transfers. The organizer and " +
			"admins also see the entry fees, the platform's fee, the rounding and a hold's reason. 404 before completion.",
	}, func(ctx context.Context, in *TournamentPath) (*StatementOutput, error) {
		st, err := svc.Statement(ctx, in.ID)
		return &StatementOutput{st}, err
	})
	admin := []string{"Admin"}
	huma.Register(api, huma.Operation{
		OperationID: "approve-tournament-payouts", Method: http.MethodPost, Path: "/v1/admin/tournaments/{id}/payouts/approve",
		Summary: "Approve a payout for payment (admin)", Tags: admin, Security: requireSession,
		Description: "Pays a payout waiting for review (payout_review manual) or held. 409 once paid in full.",
		Errors:      []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *TournamentPath) (*StatementOutput, error) {
		st, err := svc.Approve(ctx, in.ID)
		return &StatementOutput{st}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "hold-tournament-payouts", Method: http.MethodPost, Path: "/v1/admin/tournaments/{id}/payouts/hold",
		Summary: "Hold a payout (admin)", Tags: admin, Security: requireSession,
		Description: "Stops the payment of what is not paid yet, with a reason the organizer sees; approve resumes it. " +
			"409 once paid in full.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		TournamentPath
		Body struct {
			Reason string `json:"reason" minLength:"1" maxLength:"500"`
		}
	}) (*StatementOutput, error) {
		st, err := svc.Hold(ctx, in.ID, in.Body.Reason)
		return &StatementOutput{st}, err
	})
}
