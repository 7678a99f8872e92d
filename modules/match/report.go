package match

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// NewReport is one side's report of a match.
type NewReport struct {
	Result
	ProofURL *string
	// Reason says why, when the report disagrees with the other side's (a dispute's reason).
	Reason   *string
	Evidence []string // up to 5 http(s) URLs
}

// Report records one side's result of a ready match, keeping every report as the match's
// history. Until the other side reports, a side may report again: its latest report is the
// one that counts. When both sides' reports agree — the same score, and the same games
// where both gave them — the match is confirmed and advanced in this transaction; otherwise
// it is disputed, for the organizer or staff to resolve. Errors: EUNAUTHORIZED, ENOTFOUND,
// EFORBIDDEN (not a participant), EINVALID (score, games, evidence), ECONFLICT (not ready,
// already decided or disputed).
func (s *Service) Report(ctx context.Context, matchID string, in NewReport) (string, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return "", err
	}
	var status string
	err = s.withMatch(ctx, matchID, c.ID, func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		side := ""
		switch {
		case m.AReporter != nil && *m.AReporter == c.ID:
			side = SideA
		case m.BReporter != nil && *m.BReporter == c.ID:
			side = SideB
		default:
			return arena.Errorf(arena.EFORBIDDEN, "Only the two sides of a match report its result.")
		}
		if m.Status == StatusPending {
			return arena.Errorf(arena.ECONFLICT, "This match is not ready: its sides are not known yet.")
		}
		if m.Status != StatusReady && m.Status != StatusReported {
			return arena.Errorf(arena.ECONFLICT, "This match is %s; its result can no longer be reported.", m.Status)
		}
		if err := (rules{m.BestOf, m.AllowDraws}).check(in.Result); err != nil {
			return err
		}
		if err := checkEvidence(in.Evidence); err != nil {
			return err
		}
		id := db.NewID()
		if err := s.q.InsertReport(ctx, tx, dbsqlc.InsertReportParams{ID: id, MatchID: m.ID, Side: side, ScoreA: in.A, ScoreB: in.B,
			Games: encodeGames(in.Games), ProofUrl: in.ProofURL, Reason: in.Reason, Evidence: orNone(in.Evidence),
			ReportedBy: c.ID, Now: s.now()}); err != nil {
			return err
		}
		reports, err := s.q.GetReports(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		reported := matchEvent(events.MatchReported, m, events.MatchReportData{Number: m.Number, Side: side, ScoreA: in.A, ScoreB: in.B})
		if err := events.AppendTx(ctx, tx, s.now(), reported); err != nil {
			return err
		}
		if len(reports) < 2 {
			status = StatusReported
			if _, err := s.cfg.Jobs.InsertTx(ctx, tx, AutoConfirmArgs{MatchID: m.ID, ReportID: id},
				&river.InsertOpts{ScheduledAt: s.now().Add(s.cfg.AutoConfirmAfter)}); err != nil {
				return err
			}
			return s.q.SetMatchStatus(ctx, tx, dbsqlc.SetMatchStatusParams{Status: status, ID: m.ID})
		}
		agreed, ok, err := agreement(reports[0], reports[1])
		if err != nil {
			return err
		}
		if ok {
			status = StatusConfirmed
			return s.decide(ctx, tx, m, agreed, status)
		}
		status = StatusDisputed
		if err := events.AppendTx(ctx, tx, s.now(), matchEvent(events.MatchDisputed, m, events.MatchData{Number: m.Number})); err != nil {
			return err
		}
		return s.q.SetMatchStatus(ctx, tx, dbsqlc.SetMatchStatusParams{Status: status, ID: m.ID})
	})
	return status, err
}

// agreement is the result two sides' reports agree on: the same score, and the same games
// where both gave them (one side's games stand when the other gave none).
func agreement(x, y dbsqlc.GetReportsRow) (Result, bool, error) {
	gx, err := decodeGames(x.Games)
	if err != nil {
		return Result{}, false, err
	}
	gy, err := decodeGames(y.Games)
	if err != nil {
		return Result{}, false, err
	}
	res := Result{Score: Score{A: x.ScoreA, B: x.ScoreB}, Games: gx}
	if gx == nil {
		res.Games = gy
	}
	same := x.ScoreA == y.ScoreA && x.ScoreB == y.ScoreB && (gx == nil || gy == nil || slices.Equal(gx, gy))
	return res, same, nil
}

func orNone(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Reporter is who made a report.
type Reporter struct {
	ID          uuid.UUID `json:"id"`
	Handle      string    `json:"handle"`
	DisplayName string    `json:"display_name"`
}

// ReportView is one report of a match's history.
type ReportView struct {
	ID         uuid.UUID   `json:"id"`
	Side       string      `json:"side" enum:"a,b"`
	ScoreA     int32       `json:"score_a"`
	ScoreB     int32       `json:"score_b"`
	Games      []GameScore `json:"games,omitempty"`
	ProofURL   *string     `json:"proof_url,omitempty"`
	Reason     *string     `json:"reason,omitempty"`
	Evidence   []string    `json:"evidence"`
	ReportedBy Reporter    `json:"reported_by"`
	CreatedAt  time.Time   `json:"created_at"`
}

type reportCursor struct {
	CreatedAt time.Time `json:"t"`
	ID        uuid.UUID `json:"i"`
}

// Reports pages through every report made for a match, oldest first: who reported, when,
// and what (score, games, proof, reason, evidence), including reports a side later changed.
// The tournament's organizer, staff and admins only (two queries: who may, the page).
// Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (cursor).
func (s *Service) Reports(ctx context.Context, matchID string, page arena.Page) ([]ReportView, string, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, "", err
	}
	id, err := db.ParseID(matchID, "Match")
	if err != nil {
		return nil, "", err
	}
	run, err := s.q.MatchRunners(ctx, s.pool, dbsqlc.MatchRunnersParams{ID: id, CallerID: c.ID})
	if err != nil {
		return nil, "", db.NotFound(err, "Match")
	}
	if !tournament.MayRunMatches(c, run.OrganizerID, run.CallerIsStaff) {
		return nil, "", arena.Errorf(arena.EFORBIDDEN, "Only the tournament's organizer and staff read report histories.")
	}
	p := dbsqlc.ListReportsParams{MatchID: id, MaxRows: int32(page.Limit) + 1}
	if page.Cursor != "" {
		var cur reportCursor
		if err := arena.DecodeCursor(page.Cursor, &cur); err != nil {
			return nil, "", err
		}
		p.AfterCreatedAt, p.AfterID = &cur.CreatedAt, &cur.ID
	}
	rows, err := s.q.ListReports(ctx, s.pool, p)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, page.Limit, func(r dbsqlc.ListReportsRow) any { return reportCursor{r.CreatedAt, r.ID} })
	out := make([]ReportView, len(rows))
	for i, r := range rows {
		games, err := decodeGames(r.Games)
		if err != nil {
			return nil, "", err
		}
		out[i] = ReportView{ID: r.ID, Side: r.Side, ScoreA: r.ScoreA, ScoreB: r.ScoreB, Games: games, ProofURL: r.ProofUrl,
			Reason: r.Reason, Evidence: r.Evidence, CreatedAt: r.CreatedAt,
			ReportedBy: Reporter{ID: r.ReporterID, Handle: r.ReporterHandle, DisplayName: r.ReporterDisplayName}}
	}
	return out, next, nil
}
