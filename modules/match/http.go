package match

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/match/bracket"
	"github.com/arenaesports/arena/modules/tournament"
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

// BracketBody shapes a bracket: the body of create-bracket and, optionally, of start.
type BracketBody struct {
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

// options are the bracket options the body asks for.
func (b BracketBody) options() BracketOptions {
	sd := b.Seeding
	return BracketOptions{Seeding: Seeding{Method: sd.Method, RandomSeed: sd.RandomSeed, Order: sd.Order},
		ThirdPlace: b.ThirdPlace, Groups: b.Groups,
		Swiss: bracket.SwissRules{Rounds: b.Swiss.Rounds, AdvanceAt: b.Swiss.AdvanceAt, EliminateAt: b.Swiss.EliminateAt}}
}

// CreateBracketInput is the input of create-bracket.
type CreateBracketInput struct {
	TournamentPath
	Body BracketBody
}

// BracketOutput wraps a Bracket.
type BracketOutput struct{ Body *Bracket }

// CreatedBracketOutput is a bracket just laid, and where it is.
type CreatedBracketOutput struct {
	Location string `header:"Location" doc:"The created resource's URL path."`
	Body     *Bracket
}

// TournamentOutput wraps the tournament start returns.
type TournamentOutput struct{ Body *tournament.Tournament }

// ReportInput is the input of report-match-result.
type ReportInput struct {
	MatchPath
	Body struct {
		Result
		ProofURL *string  `json:"proof_url,omitempty" format:"uri" maxLength:"2048"`
		Reason   *string  `json:"reason,omitempty" minLength:"1" maxLength:"1000" doc:"Why: the reason of a dispute, when this report disagrees with the other side's."`
		Evidence []string `json:"evidence,omitempty" maxItems:"5" format:"uri" maxLength:"2048" doc:"Up to 5 http(s) links (screenshots, demos, VODs)."`
	}
}

// ReportOutput is the match's status after a report.
type ReportOutput struct {
	Body struct {
		Status string `json:"status" enum:"reported,confirmed,disputed"`
	}
}

// ReportsOutput is a page of a match's reports.
type ReportsOutput struct {
	Body struct {
		Items      []ReportView `json:"items"`
		NextCursor string       `json:"next_cursor,omitempty"`
	}
}

// MatchesOutput is a page of matches.
type MatchesOutput struct {
	Body struct {
		Items      []MatchView `json:"items"`
		NextCursor string      `json:"next_cursor,omitempty"`
	}
}

// MyMatchesOutput is a page of the caller's matches.
type MyMatchesOutput struct {
	Body struct {
		Items      []MyMatch `json:"items"`
		NextCursor string    `json:"next_cursor,omitempty"`
	}
}

// ScheduleOutput is a tournament's round plan after a change.
type ScheduleOutput struct {
	Body struct {
		Rounds    []RoundTime `json:"rounds" doc:"Every round planned, soonest first."`
		Scheduled int32       `json:"scheduled" doc:"Undecided matches this call gave a time."`
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
		OperationID: "start-tournament", Method: http.MethodPost, Path: "/v1/tournaments/{id}/start",
		Summary: "Start the tournament, laying its bracket (organizer)", Tags: []string{"Tournament lifecycle"}, Security: requireSession,
		Description: "Lays out the confirmed (or checked-in) entries by the tournament's format and moves it to running, " +
			"in one transaction: a tournament is never running without its bracket. The body is optional and shapes the " +
			"bracket as create-bracket's does (default: registration order and the format's defaults). 409 when the " +
			"lifecycle or the schedule does not allow it, or fewer than two entries play.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		TournamentPath
		Body *BracketBody
	}) (*TournamentOutput, error) {
		var body BracketBody
		if in.Body != nil {
			body = *in.Body
		}
		t, err := svc.Start(ctx, in.ID, body.options())
		return &TournamentOutput{t}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "complete-tournament", Method: http.MethodPost, Path: "/v1/tournaments/{id}/complete",
		Summary: "Mark the tournament completed (organizer)", Tags: []string{"Tournament lifecycle"}, Security: requireSession,
		Description: "Ends a running tournament before its last match: the standings as they stand become final, the " +
			"matches still open close, and its prizes are paid as when the last match is decided. 409 unless running.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *TournamentPath) (*TournamentOutput, error) {
		t, err := svc.Complete(ctx, in.ID)
		return &TournamentOutput{t}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "create-bracket", Method: http.MethodPost, Path: "/v1/tournaments/{id}/bracket",
		Summary: "Build the bracket and start the tournament (organizer)", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusCreated,
		Description:   "Lays out the confirmed (or checked-in) entries and moves the tournament to running, in one transaction.",
		Errors:        []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *CreateBracketInput) (*CreatedBracketOutput, error) {
		b, err := svc.CreateBracket(ctx, in.ID, in.Body.options())
		if err != nil {
			return nil, err
		}
		return &CreatedBracketOutput{Location: "/v1/tournaments/" + in.ID + "/bracket", Body: b}, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-bracket", Method: http.MethodGet, Path: "/v1/tournaments/{id}/bracket",
		Summary: "A tournament's bracket: rounds and matches with their entrants", Tags: tags,
		Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *TournamentPath) (*BracketOutput, error) {
		b, err := svc.GetBracket(ctx, in.ID)
		return &BracketOutput{b}, err
	})
	registerReseed(api, svc, tags)
	huma.Register(api, huma.Operation{
		OperationID: "export-bracket", Method: http.MethodGet, Path: "/v1/tournaments/{id}/bracket/export",
		Summary: "The bracket in the data model brackets-viewer.js renders", Tags: tags,
		Description: "match_game holds each decided match's reported games (parent_id is the match's id).",
		Errors:      []int{http.StatusNotFound},
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
		Description: "Round robin and Swiss: points from the tournament's points table (default 3 per win, 1 per draw), " +
			"then the tournament's play.tiebreaks in order (each entrant's values in tiebreaks); a round robin with groups ranks each group apart (group). " +
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
		Round   int32  `query:"round" minimum:"0" maximum:"10000" doc:"Only this round (0: all)."`
		Status  string `query:"status" enum:"pending,ready,reported,disputed,confirmed,resolved,forfeit,double_forfeit,disqualified,skipped,bye"`
		Overdue bool   `query:"overdue" doc:"Only matches still undecided longer than the tournament's report_window after their scheduled_at."`
		arena.Page
	}) (*MatchesOutput, error) {
		items, next, err := svc.ListMatches(ctx, in.ID, MatchFilter{Round: in.Round, Status: in.Status, Overdue: in.Overdue, Page: in.Page})
		out := &MatchesOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-my-matches", Method: http.MethodGet, Path: "/v1/me/matches",
		Summary: "The caller's live, upcoming and recent matches across tournaments", Tags: tags, Security: requireSession,
		Description: "Every match of an entry the caller is a member of, solo or in a team: live (open for play) first, then " +
			"upcoming (a side not known yet), each soonest scheduled first, then recent (decided), latest first.",
	}, func(ctx context.Context, in *arena.Page) (*MyMatchesOutput, error) {
		items, next, err := svc.MyMatches(ctx, *in)
		out := &MyMatchesOutput{}
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
	registerSchedule(api, svc, tags)
	registerResults(api, svc, tags)
}

// registerReseed adds the operations that re-seed a bracket before any result.
func registerReseed(api huma.API, svc *Service, tags []string) {
	huma.Register(api, huma.Operation{
		OperationID: "swap-bracket-seeds", Method: http.MethodPost, Path: "/v1/tournaments/{id}/bracket/swap",
		Summary: "Swap two entrants' places in the bracket (organizer)", Tags: tags, Security: requireSession,
		Description: "Before any result is reported or decided (the byes a bracket is laid with do not count): the two " +
			"entrants exchange seeds, so each takes the other's matches, and the seeding becomes manual. 409 afterwards.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		TournamentPath
		Body struct {
			Seeds []int32 `json:"seeds" nullable:"false" minItems:"2" maxItems:"2" minimum:"0" maximum:"4095" doc:"The two 0-based seeds to swap."`
		}
	}) (*BracketOutput, error) {
		b, err := svc.SwapSeeds(ctx, in.ID, in.Body.Seeds[0], in.Body.Seeds[1])
		return &BracketOutput{b}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "delete-bracket", Method: http.MethodDelete, Path: "/v1/tournaments/{id}/bracket",
		Summary: "Throw the bracket away to lay it again (organizer)", Tags: tags, Security: requireSession,
		Description: "Before any result is reported or decided: the bracket goes, and the tournament returns to the status " +
			"it started from (check_in if it had a check-in, else registration_closed) — call start or create-bracket " +
			"again, with other seeding or options. Planned round times are kept. 409 afterwards.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *TournamentPath) (*struct{}, error) {
		return nil, svc.DeleteBracket(ctx, in.ID)
	})
}

// registerSchedule adds the operations that schedule matches.
func registerSchedule(api huma.API, svc *Service, tags []string) {
	huma.Register(api, huma.Operation{
		OperationID: "update-match", Method: http.MethodPatch, Path: "/v1/matches/{id}",
		Summary: "Schedule a match (organizer, staff)", Tags: tags, Security: requireSession,
		Description: "Sets when an undecided match is to be played (null clears it). Once undecided that long past it by " +
			"the tournament's report_window, the match is overdue.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *struct {
		MatchPath
		Body struct {
			ScheduledAt *time.Time `json:"scheduled_at" required:"true" nullable:"true" doc:"When the match is to be played; null to clear."`
		}
	}) (*MatchOutput, error) {
		m, err := svc.ScheduleMatch(ctx, in.ID, in.Body.ScheduledAt)
		return &MatchOutput{m}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "schedule-tournament-rounds", Method: http.MethodPost, Path: "/v1/tournaments/{id}/schedule",
		Summary: "Plan a start time per round (organizer, staff)", Tags: tags, Security: requireSession,
		Description: "One call: every undecided match of each round listed takes its round's time, and matches laid out " +
			"later (Swiss rounds as they are paired, a bracket laid again) take it when they are. A round is numbered " +
			"within its stage; stage defaults to the format's main one.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		TournamentPath
		Body struct {
			Rounds []RoundTime `json:"rounds" nullable:"false" minItems:"1" maxItems:"256"`
		}
	}) (*ScheduleOutput, error) {
		plan, n, err := svc.ScheduleRounds(ctx, in.ID, in.Body.Rounds)
		out := &ScheduleOutput{}
		out.Body.Rounds, out.Body.Scheduled = plan, n
		return out, err
	})
}

// registerResults adds the operations that report and decide results.
func registerResults(api huma.API, svc *Service, tags []string) {
	huma.Register(api, huma.Operation{
		OperationID: "report-match-result", Method: http.MethodPost, Path: "/v1/matches/{id}/reports",
		Summary: "Report a match's result (either side)", Tags: tags, Security: requireSession,
		Description: "Matching reports from both sides confirm the result and advance the bracket; different reports " +
			"open a dispute for the organizer and staff (give its reason and evidence). Until the other side reports, a " +
			"side may report again: its latest report counts, and every report is kept.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *ReportInput) (*ReportOutput, error) {
		b := in.Body
		status, err := svc.Report(ctx, in.ID, NewReport{Result: b.Result, ProofURL: b.ProofURL, Reason: b.Reason, Evidence: b.Evidence})
		out := &ReportOutput{}
		out.Body.Status = status
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-match-reports", Method: http.MethodGet, Path: "/v1/matches/{id}/reports",
		Summary: "Every report made for a match, oldest first (organizer, staff)", Tags: tags, Security: requireSession,
		Description: "Who reported, when and what — including reports a side changed before the other side reported.",
		Errors:      []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		MatchPath
		arena.Page
	}) (*ReportsOutput, error) {
		items, next, err := svc.Reports(ctx, in.ID, in.Page)
		out := &ReportsOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "override-match-result", Method: http.MethodPost, Path: "/v1/matches/{id}/override",
		Summary: "Correct a decided result (organizer, staff)", Tags: tags, Security: requireSession,
		Description:   "Allowed until a match this one feeds has been played, and not once the tournament is over.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		MatchPath
		Body Result
	}) (*struct{}, error) {
		return nil, svc.Override(ctx, in.ID, in.Body)
	})
	huma.Register(api, huma.Operation{
		OperationID: "forfeit-match", Method: http.MethodPost, Path: "/v1/matches/{id}/forfeit",
		Summary: "Decide an open match against a side that does not play (organizer, staff)", Tags: tags, Security: requireSession,
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
		Summary: "Disqualify a side of an open match from the tournament (organizer, staff)", Tags: tags, Security: requireSession,
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
		Summary: "Decide a match: a dispute, or any open match (organizer, staff)", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		MatchPath
		Body Result
	}) (*struct{}, error) {
		return nil, svc.Resolve(ctx, in.ID, in.Body)
	})
}
