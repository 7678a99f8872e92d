package match

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/registration"
)

// Competitor kinds: who a result belongs to beyond the tournament.
const (
	CompetitorUser = "user" // solo play: the player
	CompetitorTeam = "team" // team play: the team
)

// Competitor is who a result belongs to beyond the tournament.
type Competitor struct {
	Kind string // CompetitorUser or CompetitorTeam
	ID   uuid.UUID
}

// competitorOf is the competitor an entry plays as.
func competitorOf(e registration.Entrant) Competitor {
	if e.TeamID != nil {
		return Competitor{Kind: CompetitorTeam, ID: *e.TeamID}
	}
	return Competitor{Kind: CompetitorUser, ID: e.RegisteredBy}
}

// CompletedArgs follows up a completed tournament: enqueued in the transaction that
// completes it, worked by the leaderboard module (its rating period and season points).
type CompletedArgs struct {
	TournamentID uuid.UUID `json:"tournament_id"`
	CompletedAt  time.Time `json:"completed_at"`
}

// Kind implements river.JobArgs.
func (CompletedArgs) Kind() string { return "match.tournament_completed" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMatches.
func (CompletedArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: db.QueueMatches} }

// Outcome is a completed tournament as ratings and season tables see it.
type Outcome struct {
	GameID   uuid.UUID
	Entrants []OutcomeEntrant // by seed: Played refers to them by index
	Played   []Played
}

// OutcomeEntrant is an entrant's competitor and final rank (1 is the winner; ties share).
type OutcomeEntrant struct {
	Competitor
	Rank int
}

// Played is a match its sides played out (forfeits, disqualifications and walkovers are
// left out: they say nothing of skill). A and B index Outcome.Entrants; Winner is A or B,
// or Drawn for a draw.
type Played struct {
	A, B, Winner int
}

// Drawn is Played.Winner of a match that ended level.
const Drawn = -1

// OutcomeTx reads a completed tournament's outcome in the caller's transaction (two
// queries whatever its size). A tournament without final standings has no entrants.
func (s *Service) OutcomeTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*Outcome, error) {
	entrants, err := s.q.OutcomeEntrants(ctx, tx, tournamentID)
	if err != nil {
		return nil, err
	}
	played, err := s.q.OutcomeMatches(ctx, tx, tournamentID)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Entrants: make([]OutcomeEntrant, len(entrants)), Played: make([]Played, len(played))}
	for i, e := range entrants {
		out.GameID = e.GameID
		out.Entrants[i] = OutcomeEntrant{Competitor: Competitor{Kind: e.CompetitorKind, ID: e.CompetitorID}, Rank: int(e.Rank)}
	}
	for i, p := range played {
		out.Played[i] = Played{A: int(p.ASeed), B: int(p.BSeed), Winner: Drawn}
		if p.WinnerSeed != nil {
			out.Played[i].Winner = int(*p.WinnerSeed)
		}
	}
	return out, nil
}

// completedTx enqueues the follow-up of a tournament completed in tx.
func (s *Service) completedTx(ctx context.Context, tx pgx.Tx, tid uuid.UUID) error {
	_, err := s.cfg.Jobs.InsertTx(ctx, tx, CompletedArgs{TournamentID: tid, CompletedAt: s.now()}, nil)
	return err
}
