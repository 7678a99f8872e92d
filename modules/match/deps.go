package match

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena/modules/registration"
	"github.com/arenaesports/arena/modules/tournament"
)

// Tournaments is what the match module needs of the tournament module.
type Tournaments interface {
	StartTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*tournament.Tournament, error)
	UnstartTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*tournament.Tournament, error)
	CompleteTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) error
	EndTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*tournament.Tournament, error)
}

// Registrations is what the match module needs of the registration module.
type Registrations interface {
	EntrantsTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID, checkIn bool) ([]registration.Entrant, error)
	DisqualifyTx(ctx context.Context, tx pgx.Tx, tournamentID, registrationID uuid.UUID) error
}

// Ratings seeds by rating; the leaderboard module implements it.
type Ratings interface {
	// RatingsTx returns each competitor's rating in a game (higher is stronger; the unrated
	// have the initial rating), in the competitors' order.
	RatingsTx(ctx context.Context, tx pgx.Tx, gameID uuid.UUID, competitors []Competitor) ([]float64, error)
}
