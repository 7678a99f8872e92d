package match

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/match/bracket"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/registration"
	"github.com/arenaesports/arena/modules/tournament"
)

// Seeding orders entrants before the bracket is laid out.
type Seeding struct {
	// Method is registration (default: registration order), random, manual, or rating.
	Method string
	// RandomSeed makes a random seeding reproducible; chosen and recorded when nil.
	RandomSeed *int64
	// Order is the manual seeding: every entrant's registration id, top seed first.
	Order []uuid.UUID
}

// BracketOptions shape the bracket of a format.
type BracketOptions struct {
	Seeding    Seeding
	ThirdPlace bool // single elimination
	Groups     int  // round robin (default 1)
	// Swiss: a fixed number of rounds, or advance/eliminate thresholds (default 3 and 3).
	Swiss bracket.SwissRules
}

// CreateBracket starts a tournament and returns its bracket: see Start.
func (s *Service) CreateBracket(ctx context.Context, tournamentID string, opts BracketOptions) (*Bracket, error) {
	if _, err := s.Start(ctx, tournamentID, opts); err != nil {
		return nil, err
	}
	return s.GetBracket(ctx, tournamentID)
}

// Start starts a tournament with its bracket, in one transaction: it moves the tournament
// to running (with the start transition's checks), lays out its confirmed — or checked-in —
// entries by the tournament's format, draws, points table and rules of play (grand final,
// round robin schedule, Swiss pairing, tiebreaks: each bracket keeps its copy) and by opts, and stores every
// match (each taking its round's planned time). A tournament is never running without its
// bracket. Organizer only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID (seeding,
// options, an even best_of without draws), ECONFLICT (not startable, fewer than two entries).
func (s *Service) Start(ctx context.Context, tournamentID string, opts BracketOptions) (*tournament.Tournament, error) {
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, err
	}
	if opts.Seeding.Method == SeedingRating && s.cfg.Ratings == nil {
		return nil, arena.Errorf(arena.EINVALID, "Seeding by rating is not available yet.")
	}
	var started *tournament.Tournament
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		t, err := s.cfg.Tournaments.StartTx(ctx, tx, tid)
		if err != nil {
			return err
		}
		started = t
		entrants, err := s.cfg.Registrations.EntrantsTx(ctx, tx, tid, t.CheckInOpensAt != nil)
		if err != nil {
			return err
		}
		if len(entrants) < 2 {
			return arena.Errorf(arena.ECONFLICT, "A bracket needs at least two entries; this tournament has %d.", len(entrants))
		}
		if opts.Seeding.Method == SeedingRating {
			competitors := make([]Competitor, len(entrants))
			for i, e := range entrants {
				competitors[i] = competitorOf(e)
			}
			ratings, err := s.cfg.Ratings.RatingsTx(ctx, tx, t.GameID, competitors)
			if err != nil {
				return err
			}
			byRating(entrants, ratings)
		}
		randomSeed, err := seed(entrants, &opts.Seeding)
		if err != nil {
			return err
		}
		games, err := bestOf(t)
		if err != nil {
			return err
		}
		var b *bracket.Bracket
		switch t.Format {
		case tournament.FormatSingleElimination, tournament.FormatDoubleElimination, tournament.FormatRoundRobin:
			b, err = layoutOf(t, len(entrants), opts)
		case tournament.FormatSwiss:
			b = &bracket.Bracket{Participants: len(entrants)} // rounds are paired one at a time
			sw := &opts.Swiss
			switch {
			case *sw == (bracket.SwissRules{}):
				*sw = bracket.SwissRules{AdvanceAt: 3, EliminateAt: 3}
			case (sw.AdvanceAt > 0) != (sw.EliminateAt > 0):
				return arena.Errorf(arena.EINVALID, "Swiss thresholds come in pairs: advance_at and eliminate_at.")
			case sw.Rounds > 0 && sw.AdvanceAt > 0:
				return arena.Errorf(arena.EINVALID, "A Swiss stage ends after fixed rounds or at thresholds, not both.")
			}
			sw.RematchesWhenStuck = true // a stage must not stall; stored rules say so
		default:
			return arena.Errorf(arena.EINVALID, "Brackets for the %s format are not available yet.", t.Format)
		}
		if err != nil {
			return err
		}
		if err := s.q.InsertBracket(ctx, tx, insertBracketParams(t, games, opts.Seeding, randomSeed, s.now())); err != nil {
			return err
		}
		ep := dbsqlc.InsertEntrantsParams{TournamentID: tid}
		for i, e := range entrants {
			ep.Seeds = append(ep.Seeds, int32(i))
			ep.RegistrationIds = append(ep.RegistrationIds, e.RegistrationID)
			ep.ReporterIds = append(ep.ReporterIds, e.RegisteredBy)
			ep.Names = append(ep.Names, e.Name)
			c := competitorOf(e)
			ep.CompetitorKinds = append(ep.CompetitorKinds, c.Kind)
			ep.CompetitorIds = append(ep.CompetitorIds, c.ID)
		}
		if err := s.q.InsertEntrants(ctx, tx, ep); err != nil {
			return err
		}
		if err := events.AppendTx(ctx, tx, s.now(), events.Event{Type: events.BracketCreated, Visibility: events.Public,
			TournamentID: tid, Payload: events.BracketData{Format: t.Format, Entrants: len(entrants)}}); err != nil {
			return err
		}
		if t.Format == tournament.FormatSwiss {
			sw := opts.Swiss
			if err := s.q.SetSwissRules(ctx, tx, dbsqlc.SetSwissRulesParams{Rounds: int32(sw.Rounds), AdvanceAt: int32(sw.AdvanceAt),
				EliminateAt: int32(sw.EliminateAt), TournamentID: tid}); err != nil {
				return err
			}
			return s.pairSwissRound(ctx, tx, tid)
		}
		return s.insertMatches(ctx, tx, tid, b)
	})
	if err != nil {
		return nil, err
	}
	return started, nil
}

// seed orders entrants in place by the seeding method and returns the random seed used.
func seed(entrants []registration.Entrant, sd *Seeding) (*int64, error) {
	switch sd.Method {
	case "", SeedingRegistration:
		sd.Method = SeedingRegistration
		return nil, nil
	case SeedingRating: // ordered by byRating already
		return nil, nil
	case SeedingRandom:
		if sd.RandomSeed == nil {
			v := rand.Int64()
			sd.RandomSeed = &v
		}
		r := rand.New(rand.NewPCG(uint64(*sd.RandomSeed), 0x6172656e61))
		r.Shuffle(len(entrants), func(i, j int) { entrants[i], entrants[j] = entrants[j], entrants[i] })
		return sd.RandomSeed, nil
	case SeedingManual:
		if len(sd.Order) != len(entrants) {
			return nil, arena.Errorf(arena.EINVALID, "A manual seeding lists every entry once: %d entries, %d given.", len(entrants), len(sd.Order))
		}
		ordered := make([]registration.Entrant, len(entrants))
		for i, id := range sd.Order {
			j := slices.IndexFunc(entrants, func(e registration.Entrant) bool { return e.RegistrationID == id })
			if j < 0 || slices.Index(sd.Order, id) != i {
				return nil, arena.Errorf(arena.EINVALID, "The manual seeding names %s, which is not an entry or is named twice.", id)
			}
			ordered[i] = entrants[j]
		}
		copy(entrants, ordered)
		return nil, nil
	default:
		return nil, arena.Errorf(arena.EINVALID, "Unknown seeding %q.", sd.Method)
	}
}

// byRating orders entrants by rating, best first; equal ratings keep registration order.
func byRating(entrants []registration.Entrant, ratings []float64) {
	idx := make([]int, len(entrants))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(ratings[b], ratings[a]) })
	ordered := make([]registration.Entrant, len(entrants))
	for i, j := range idx {
		ordered[i] = entrants[j]
	}
	copy(entrants, ordered)
}

// bestOf reads the number of games per match from the game settings (default 1). An even
// number leaves a series able to end level, so it needs draws. Errors: EINVALID.
func bestOf(t *tournament.Tournament) (int32, error) {
	v, ok := t.GameSettings["best_of"].(float64)
	if !ok || v < 1 || v > 99 || v != float64(int32(v)) {
		return 1, nil
	}
	if int32(v)%2 == 0 && !t.AllowDraws {
		return 0, arena.Errorf(arena.EINVALID, "best_of %d is even, so a series can end level: that needs allow_draws.", int32(v))
	}
	return int32(v), nil
}

func matchParams(tid uuid.UUID, b *bracket.Bracket) dbsqlc.InsertMatchesParams {
	p := dbsqlc.InsertMatchesParams{TournamentID: tid}
	for _, m := range b.Matches {
		p.Ids = append(p.Ids, db.NewID())
		p.Numbers = append(p.Numbers, int32(m.Index))
		p.Stages = append(p.Stages, string(m.Stage))
		p.Groups = append(p.Groups, int32(m.Group))
		p.Rounds = append(p.Rounds, int32(m.Round))
		p.Ords = append(p.Ords, int32(m.Order))
		p.AKinds = append(p.AKinds, int16(m.A.Kind))
		p.ARefs = append(p.ARefs, int32(m.A.Index))
		p.BKinds = append(p.BKinds, int16(m.B.Kind))
		p.BRefs = append(p.BRefs, int32(m.B.Index))
	}
	return p
}
