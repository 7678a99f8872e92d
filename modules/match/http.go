package match

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/match/bracket"
)

var requireSession = []map[string][]string{{"bearer": {}}}

// TournamentPath names a tournament.
type TournamentPath struct {
	ID string `path:"id" format:"uuid"`
}

// MatchPath names a match.
type MatchPath struct {
	ID string `path:"id" format:"uuid"`
}

// CreateBracketInput is the input of create-bracket.
type CreateBracketInput struct {
	TournamentPath
	Body struct {
		Seeding struct {
			Method     string      `json:"method,omitempty" enum:"registration,random,manual,rating" default:"registration"`
			RandomSeed *int64      `json:"random_seed,omitempty" doc:"Reproduces a random seeding; chosen and returned when absent."`
			Order      []uuid.UUID `json:"order,omitempty" maxItems:"4096" doc:"Manual seeding: every registration id, top seed first."`
		} `json:"seeding,omitempty"`
		ThirdPlace bool `json:"third_place,omitempty" doc:"Single elimination: play a match for third place."`
		Groups     int  `json:"groups,omitempty" minimum:"1" maximum:"64" doc:"Round robin: number of groups (default 1)."`
		Swiss      struct {
			Rounds      int `json:"rounds,omitempty" minimum:"1" maximum:"64" doc:"A fixed number of rounds."`
			AdvanceAt   int `json:"advance_at,omitempty" minimum:"1" maximum:"64" doc:"Wins that advance (with eliminate_at)."`
			EliminateAt int `json:"eliminate_at,omitempty" minimum:"1" maximum:"64" doc:"Losses that eliminate (with advance_at)."`
		} `json:"swiss,omitempty" doc:"Swiss: fixed rounds or thresholds; default 3 wins / 3 losses."`
	}
}

// BracketOutput wraps a Bracket.
type BracketOutput struct{ Body *Bracket }

// ReportInput is the input of report-match-result.
type ReportInput struct {
	MatchPath
	Body struct {
		Score
		ProofURL *string `json:"proof_url,omitempty" format:"uri" maxLength:"2048"`
	}
}

// ReportOutput is the match's status after a report.
type ReportOutput struct {
	Body struct {
		Status string `json:"status" enum:"reported,confirmed,disputed"`
	}
}

// MatchesOutput is a page of matches.
type MatchesOutput struct {
	Body struct {
		Items      []MatchView `json:"items"`
		NextCursor string      `json:"next_cursor,omitempty"`
	}
}

// ExportOutput wraps a BracketsModel.
type ExportOutput struct{ Body *BracketsModel }

// MatchOutput wraps a MatchView.
type MatchOutput struct{ Body *MatchView }

// StandingsOutput is a tournament's standings.
type StandingsOutput struct {
	Body struct {
		Items []Standing `json:"items"`
	}
}

// Register adds the match operations to api.
func Register(api huma.API, svc *Service) {
	tags := []string{"Matches"}
	huma.Register(api, huma.Operation{
		OperationID: "create-bracket", Method: http.MethodPost, Path: "/v1/tournaments/{id}/bracket",
		Summary: "Build the bracket and start the tournament (organizer)", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusCreated,
		Description:   "Lays out the confirmed (or checked-in) entries and moves the tournament to running, in one transaction.",
		Errors:        []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *CreateBracketInput) (*BracketOutput, error) {
		sd := in.Body.Seeding
		b, err := svc.CreateBracket(ctx, in.ID, BracketOptions{Seeding: Seeding{Method: sd.Method, RandomSeed: sd.RandomSeed, Order: sd.Order},
			ThirdPlace: in.Body.ThirdPlace, Groups: in.Body.Groups,
			Swiss: bracket.SwissRules{Rounds: in.Body.Swiss.Rounds, AdvanceAt: in.Body.Swiss.AdvanceAt, EliminateAt: in.Body.Swiss.EliminateAt}})
		return &BracketOutput{b}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-bracket", Method: http.MethodGet, Path: "/v1/tournaments/{id}/bracket",
		Summary: "A tournament's bracket: rounds and matches with their entrants", Tags: tags,
		Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *TournamentPath) (*BracketOutput, error) {
		b, err := svc.GetBracket(ctx, in.ID)
		return &BracketOutput{b}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "export-bracket", Method: http.MethodGet, Path: "/v1/tournaments/{id}/bracket/export",
		Summary: "The bracket in the data model brackets-viewer.js renders", Tags: tags,
		Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		TournamentPath
		Format string `query:"format" enum:"brackets-model" default:"brackets-model"`
	}) (*ExportOutput, error) {
		m, err := svc.Export(ctx, in.ID)
		return &ExportOutput{m}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-standings", Method: http.MethodGet, Path: "/v1/tournaments/{id}/standings",
		Summary: "A tournament's standings", Tags: tags, Errors: []int{http.StatusNotFound},
		Description: "Round robin and Swiss: points (3 per win, 1 per draw), head-to-head, Buchholz, game differential. " +
			"Elimination: placement, final standings once the last match is decided.",
	}, func(ctx context.Context, in *TournamentPath) (*StandingsOutput, error) {
		st, err := svc.Standings(ctx, in.ID)
		out := &StandingsOutput{}
		out.Body.Items = st
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-matches", Method: http.MethodGet, Path: "/v1/tournaments/{id}/matches",
		Summary: "A tournament's matches in play order", Tags: tags,
	}, func(ctx context.Context, in *struct {
		TournamentPath
		Round  int32  `query:"round" minimum:"0" maximum:"10000" doc:"Only this round (0: all)."`
		Status string `query:"status" enum:"pending,ready,reported,disputed,confirmed,resolved,forfeit,double_forfeit,disqualified,skipped,bye"`
		arena.Page
	}) (*MatchesOutput, error) {
		items, next, err := svc.ListMatches(ctx, in.ID, MatchFilter{Round: in.Round, Status: in.Status, Page: in.Page})
		out := &MatchesOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-match", Method: http.MethodGet, Path: "/v1/matches/{id}",
		Summary: "A match", Tags: tags, Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *MatchPath) (*MatchOutput, error) {
		m, err := svc.GetMatch(ctx, in.ID)
		return &MatchOutput{m}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "report-match-result", Method: http.MethodPost, Path: "/v1/matches/{id}/reports",
		Summary: "Report a match's result (either side)", Tags: tags, Security: requireSession,
		Description: "Matching reports from both sides confirm the result and advance the bracket; different reports " +
			"open a dispute for the organizer.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *ReportInput) (*ReportOutput, error) {
		status, err := svc.Report(ctx, in.ID, in.Body.Score, in.Body.ProofURL)
		out := &ReportOutput{}
		out.Body.Status = status
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "override-match-result", Method: http.MethodPost, Path: "/v1/matches/{id}/override",
		Summary: "Correct a decided result (organizer)", Tags: tags, Security: requireSession,
		Description:   "Allowed until a match this one feeds has been played, and not once the tournament is over.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *struct {
		MatchPath
		Body Score
	}) (*struct{}, error) {
		return nil, svc.Override(ctx, in.ID, in.Body)
	})
	huma.Register(api, huma.Operation{
		OperationID: "forfeit-match", Method: http.MethodPost, Path: "/v1/matches/{id}/forfeit",
		Summary: "Decide an open match against a side that does not play (organizer)", Tags: tags, Security: requireSession,
		Description: "side both is a double forfeit: both lose; in elimination both are out, and the matches this one " +
			"feeds are walkovers for their other sides.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *struct {
		MatchPath
		Body struct {
			Side string `json:"side" enum:"a,b,both" doc:"The side that forfeits, or both."`
		}
	}) (*struct{}, error) {
		return nil, svc.Forfeit(ctx, in.ID, in.Body.Side)
	})
	huma.Register(api, huma.Operation{
		OperationID: "disqualify-match-side", Method: http.MethodPost, Path: "/v1/matches/{id}/disqualify",
		Summary: "Disqualify a side of an open match from the tournament (organizer)", Tags: tags, Security: requireSession,
		Description: "Decides this match and the entrant's other open matches for the opponents; the entrant plays no " +
			"more (no drop to the losers' bracket, no further Swiss pairing), ranks last, and its registration is " +
			"marked disqualified (no refund).",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *struct {
		MatchPath
		Body struct {
			Side string `json:"side" enum:"a,b" doc:"The side disqualified."`
		}
	}) (*struct{}, error) {
		return nil, svc.Disqualify(ctx, in.ID, in.Body.Side)
	})
	huma.Register(api, huma.Operation{
		OperationID: "resolve-match", Method: http.MethodPost, Path: "/v1/matches/{id}/resolve",
		Summary: "Decide a match: a dispute, or any open match (organizer)", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *struct {
		MatchPath
		Body Score
	}) (*struct{}, error) {
		return nil, svc.Resolve(ctx, in.ID, in.Body)
	})
}
