// Package match owns brackets and matches: it lays a tournament's entrants out with the
// bracket engine (package bracket), takes results reported by both sides, opens disputes
// the organizer resolves, and advances winners and losers in the transaction that decides
// a match, completing the tournament when the last one is decided.
package match

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/match/bracket"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/registration"
	"github.com/arenaesports/arena/modules/tournament"
)

// Match statuses. A match is pending until both its sides are known, then ready; one
// side's report makes it reported, both sides' confirmed (same score) or disputed. The
// organizer decides an open match as resolved, forfeit, double_forfeit or disqualified.
// skipped is never played (a grand-final reset not needed, or no side will ever be
// filled); bye is won without playing (a Swiss bye, or a walkover).
const (
	StatusPending       = "pending"
	StatusReady         = "ready"
	StatusReported      = "reported"
	StatusDisputed      = "disputed"
	StatusConfirmed     = "confirmed"
	StatusResolved      = "resolved"
	StatusForfeit       = "forfeit"
	StatusDoubleForfeit = "double_forfeit"
	StatusDisqualified  = "disqualified"
	StatusSkipped       = "skipped"
	StatusBye           = "bye"
)

// Sides of a match: the side a report comes from, or a forfeit or disqualification is
// against.
const (
	SideA = "a"
	SideB = "b"
)

// BothSides is the forfeit of a match neither side plays (a double forfeit).
const BothSides = "both"

// Seeding methods: how entrants are ordered before the bracket is laid out.
const (
	SeedingRegistration = "registration" // registration order (the default)
	SeedingRandom       = "random"       // shuffled, reproducibly from a recorded seed
	SeedingManual       = "manual"       // the organizer's order
	SeedingRating       = "rating"       // best rated first (the leaderboard module)
)

// Config wires the module.
type Config struct {
	Tournaments   Tournaments
	Registrations Registrations
	// Ratings seeds by rating (the leaderboard module); without it, seeding by rating is
	// refused.
	Ratings Ratings
	// Jobs enqueues the pairing of each next Swiss round in the confirming transaction, and
	// the auto-confirmation of one-sided reports.
	Jobs JobInserter
	// AutoConfirmAfter confirms a result reported by one side only once this long has
	// passed without the other side reporting (default 24 h).
	AutoConfirmAfter time.Duration
	// Now is the clock; tests inject one.
	Now func() time.Time
}

// Service is the match module's API.
type Service struct {
	pool *pgxpool.Pool
	cfg  Config
	q    *dbsqlc.Queries
}

// New returns a Service on pool.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AutoConfirmAfter == 0 {
		cfg.AutoConfirmAfter = 24 * time.Hour
	}
	return &Service{pool: pool, cfg: cfg, q: dbsqlc.New()}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

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

// CreateBracket starts a tournament: in one transaction it moves it to running (with the
// start transition's checks), lays out its confirmed — or checked-in — entries, and stores
// every match. Organizer only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID
// (seeding, unsupported format), ECONFLICT (not startable, fewer than two entries).
func (s *Service) CreateBracket(ctx context.Context, tournamentID string, opts BracketOptions) (*Bracket, error) {
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, err
	}
	if opts.Seeding.Method == SeedingRating && s.cfg.Ratings == nil {
		return nil, arena.Errorf(arena.EINVALID, "Seeding by rating is not available yet.")
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		t, err := s.cfg.Tournaments.StartTx(ctx, tx, tid)
		if err != nil {
			return err
		}
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
		var b *bracket.Bracket
		switch t.Format {
		case tournament.FormatSingleElimination:
			b, err = bracket.SingleElimination(len(entrants), opts.ThirdPlace)
		case tournament.FormatDoubleElimination:
			b, err = bracket.DoubleElimination(len(entrants))
		case tournament.FormatRoundRobin:
			b, err = bracket.RoundRobin(len(entrants), max(opts.Groups, 1))
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
		if err := s.q.InsertBracket(ctx, tx, dbsqlc.InsertBracketParams{TournamentID: tid, OrganizerID: t.Organizer.ID, GameID: t.GameID,
			Format: t.Format, BestOf: bestOf(t), Seeding: opts.Seeding.Method, RandomSeed: randomSeed, Now: s.now()}); err != nil {
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
		if t.Format == tournament.FormatSwiss {
			sw := opts.Swiss
			if err := s.q.SetSwissRules(ctx, tx, dbsqlc.SetSwissRulesParams{Rounds: int32(sw.Rounds), AdvanceAt: int32(sw.AdvanceAt),
				EliminateAt: int32(sw.EliminateAt), TournamentID: tid}); err != nil {
				return err
			}
			return s.pairSwissRound(ctx, tx, tid)
		}
		return s.q.InsertMatches(ctx, tx, matchParams(tid, b))
	})
	if err != nil {
		return nil, err
	}
	return s.GetBracket(ctx, tournamentID)
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

// bestOf reads the number of games per match from the game settings (default 1).
func bestOf(t *tournament.Tournament) int32 {
	if v, ok := t.GameSettings["best_of"].(float64); ok && v >= 1 && int(v)%2 == 1 {
		return int32(v)
	}
	return 1
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

// Side is one side of a match.
type Side struct {
	Seed *int32  `json:"seed,omitempty" doc:"0-based seed; absent until the side is known."`
	Name *string `json:"name,omitempty"`
}

// MatchView is a match as the bracket shows it.
type MatchView struct {
	ID     uuid.UUID `json:"id"`
	Number int32     `json:"number"`
	Stage  string    `json:"stage"`
	Group  int32     `json:"group"`
	Round  int32     `json:"round"`
	Order  int32     `json:"order"`
	Status string    `json:"status" enum:"pending,ready,reported,disputed,confirmed,resolved,forfeit,double_forfeit,disqualified,skipped,bye" doc:"bye: won without playing (a Swiss bye, or a walkover when the other side will never be filled)."`
	A      Side      `json:"a"`
	B      Side      `json:"b"`
	ScoreA *int32    `json:"score_a,omitempty"`
	ScoreB *int32    `json:"score_b,omitempty"`
	Winner *int32    `json:"winner_seed,omitempty"`
}

// Bracket is a tournament's matches in number order.
type Bracket struct {
	Format  string      `json:"format" enum:"single_elimination,double_elimination,round_robin,swiss"`
	BestOf  int32       `json:"best_of"`
	Matches []MatchView `json:"matches"`
}

// GetBracket returns a tournament's bracket, entrants' names embedded, in one round trip.
// Errors: ENOTFOUND (no bracket yet).
func (s *Service) GetBracket(ctx context.Context, tournamentID string) (*Bracket, error) {
	tid, err := db.ParseID(tournamentID, "Bracket")
	if err != nil {
		return nil, err
	}
	rows, err := s.bracketRows(ctx, s.pool, tid)
	if err != nil {
		return nil, err
	}
	out := &Bracket{Format: rows[0].Format, BestOf: rows[0].BestOf, Matches: make([]MatchView, len(rows))}
	for i, r := range rows {
		out.Matches[i] = MatchView{ID: r.ID, Number: r.Number, Stage: r.Stage, Group: r.Grp, Round: r.Round, Order: r.Ord,
			Status: r.Status, A: Side{Seed: known(r.ASeed), Name: r.AName}, B: Side{Seed: known(r.BSeed), Name: r.BName},
			ScoreA: r.ScoreA, ScoreB: r.ScoreB, Winner: r.WinnerSeed}
	}
	return out, nil
}

// Score is a reported or decided result in games.
type Score struct {
	A int32 `json:"score_a" minimum:"0" maximum:"99"`
	B int32 `json:"score_b" minimum:"0" maximum:"99"`
}

// check validates a score against best-of-N: the winner has exactly the games a majority
// needs, the loser fewer.
func (sc Score) check(bestOf int32) error {
	need := bestOf/2 + 1
	if max(sc.A, sc.B) != need || min(sc.A, sc.B) >= need {
		return arena.Errorf(arena.EINVALID, "In a best of %d, the winner takes exactly %d games and the loser fewer; %d–%d is not a result.",
			bestOf, need, sc.A, sc.B)
	}
	return nil
}

// Report records one side's result of a ready match. When both sides have reported the same
// score the match is confirmed and advanced in this transaction; different scores open a
// dispute for the organizer. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN (not a participant),
// EINVALID (score), ECONFLICT (not ready, already decided).
func (s *Service) Report(ctx context.Context, matchID string, sc Score, proofURL *string) (string, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return "", err
	}
	var status string
	err = s.withMatch(ctx, matchID, func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
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
		if err := sc.check(m.BestOf); err != nil {
			return err
		}
		if err := s.q.UpsertReport(ctx, tx, dbsqlc.UpsertReportParams{MatchID: m.ID, Side: side, ScoreA: sc.A, ScoreB: sc.B,
			ProofUrl: proofURL, ReportedBy: c.ID, Now: s.now()}); err != nil {
			return err
		}
		reports, err := s.q.GetReports(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		switch {
		case len(reports) < 2:
			status = StatusReported
			if _, err := s.cfg.Jobs.InsertTx(ctx, tx, AutoConfirmArgs{MatchID: m.ID},
				&river.InsertOpts{ScheduledAt: s.now().Add(s.cfg.AutoConfirmAfter)}); err != nil {
				return err
			}
		case reports[0].ScoreA == reports[1].ScoreA && reports[0].ScoreB == reports[1].ScoreB:
			status = StatusConfirmed
			return s.decide(ctx, tx, m, sc, status)
		default:
			status = StatusDisputed
		}
		return s.q.SetMatchStatus(ctx, tx, dbsqlc.SetMatchStatusParams{Status: status, ID: m.ID})
	})
	return status, err
}

// Resolve decides a match by the organizer: a dispute, or any match ready to be played.
// Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (score), ECONFLICT (not open).
func (s *Service) Resolve(ctx context.Context, matchID string, sc Score) error {
	return s.withOrganizedMatch(ctx, matchID, "Only the organizer resolves matches.", func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if !playable(m.Status) {
			return arena.Errorf(arena.ECONFLICT, "This match is %s and cannot be resolved.", m.Status)
		}
		if err := sc.check(m.BestOf); err != nil {
			return err
		}
		return s.decide(ctx, tx, m, sc, StatusResolved)
	})
}

// Override corrects a decided result: the organizer may, until a match it feeds has been
// played, and not once the tournament is over. Winner and loser are placed again in the
// same transaction. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (score),
// ECONFLICT (not decided, a dependent match played, tournament over).
func (s *Service) Override(ctx context.Context, matchID string, sc Score) error {
	return s.withOrganizedMatch(ctx, matchID, "Only the organizer overrides results.", func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if m.Status != StatusConfirmed && m.Status != StatusResolved && m.Status != StatusForfeit {
			return arena.Errorf(arena.ECONFLICT, "Only a decided match can be overridden; this one is %s.", m.Status)
		}
		if err := sc.check(m.BestOf); err != nil {
			return err
		}
		open, err := s.q.OpenMatches(ctx, tx, m.TournamentID)
		if err != nil {
			return err
		}
		if open == 0 {
			return arena.Errorf(arena.ECONFLICT, "The tournament is over; its results are final.")
		}
		key := dbsqlc.PlayedDependentsParams{TournamentID: m.TournamentID, Number: m.Number}
		if played, err := s.q.PlayedDependents(ctx, tx, key); err != nil {
			return err
		} else if played > 0 {
			return arena.Errorf(arena.ECONFLICT, "A match this result feeds has been played; it can no longer change.")
		}
		if err := s.q.ReopenDependents(ctx, tx, dbsqlc.ReopenDependentsParams(key)); err != nil {
			return err
		}
		return s.decide(ctx, tx, m, sc, StatusResolved)
	})
}

// Forfeit decides an open match against a side that does not play (organizer): the other
// side wins by the games a majority needs, and the bracket advances. When both sides do not
// play (side "both"), it is a double forfeit: both lose, and in elimination both are out —
// nobody advances or drops, so the matches this one feeds are walkovers. Errors:
// EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (side), ECONFLICT (not open).
func (s *Service) Forfeit(ctx context.Context, matchID, side string) error {
	return s.withOrganizedMatch(ctx, matchID, "Only the organizer declares forfeits.", func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if !playable(m.Status) {
			return arena.Errorf(arena.ECONFLICT, "This match is %s; only an open match can be forfeited.", m.Status)
		}
		need := m.BestOf/2 + 1
		sc := Score{A: need}
		switch side {
		case SideA:
			sc = Score{B: need}
		case SideB:
		case BothSides:
			if err := s.q.DecideMatch(ctx, tx, dbsqlc.DecideMatchParams{Status: StatusDoubleForfeit, Now: s.now(), ID: m.ID}); err != nil {
				return err
			}
			return s.advance(ctx, tx, m.TournamentID, m.Format, []placement{{m.Number, m.Stage, *m.ASeed, -1, -1}})
		default:
			return arena.Errorf(arena.EINVALID, "The forfeiting side is a, b or both.")
		}
		return s.decide(ctx, tx, m, sc, StatusForfeit)
	})
}

// Disqualify takes a side of an open match out of the tournament (organizer), in one
// transaction: this match and any other open match of the entrant (round robin) are decided
// for the opponents, the entrant plays no more — in double elimination it does not drop to
// the losers' bracket, in Swiss it is not paired again — and ranks last, and its registration
// is marked disqualified. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (side),
// ECONFLICT (not open).
func (s *Service) Disqualify(ctx context.Context, matchID, side string) error {
	return s.withOrganizedMatch(ctx, matchID, "Only the organizer disqualifies entrants.", func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if !playable(m.Status) {
			return arena.Errorf(arena.ECONFLICT, "This match is %s; disqualify an entrant in its open match.", m.Status)
		}
		seed, registrationID := m.ASeed, m.ARegistration
		switch side {
		case SideA:
		case SideB:
			seed, registrationID = m.BSeed, m.BRegistration
		default:
			return arena.Errorf(arena.EINVALID, "The disqualified side is a or b.")
		}
		decided, err := s.q.DisqualifyEntrant(ctx, tx, dbsqlc.DisqualifyEntrantParams{Seed: *seed, Games: m.BestOf/2 + 1,
			Now: s.now(), TournamentID: m.TournamentID})
		if err != nil {
			return err
		}
		if err := s.cfg.Registrations.DisqualifyTx(ctx, tx, *registrationID); err != nil {
			return err
		}
		todo := make([]placement, len(decided))
		for i, d := range decided {
			todo[i] = placement{d.Number, d.Stage, *d.ASeed, *d.WinnerSeed, -1} // the disqualified entrant does not drop
		}
		return s.advance(ctx, tx, m.TournamentID, m.Format, todo)
	})
}

// playable reports whether a match is open for play: both sides known, no result decided.
func playable(status string) bool {
	return status == StatusReady || status == StatusReported || status == StatusDisputed
}

// withOrganizedMatch runs fn on a locked match for its organizer (or an admin); anyone else
// is refused with denied.
func (s *Service) withOrganizedMatch(ctx context.Context, matchID, denied string, fn func(pgx.Tx, dbsqlc.LockMatchRow) error) error {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return err
	}
	return s.withMatch(ctx, matchID, func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if !c.CanManage(m.OrganizerID) {
			return arena.Errorf(arena.EFORBIDDEN, "%s", denied)
		}
		return fn(tx, m)
	})
}

func (s *Service) withMatch(ctx context.Context, matchID string, fn func(pgx.Tx, dbsqlc.LockMatchRow) error) error {
	id, err := db.ParseID(matchID, "Match")
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		m, err := s.q.LockMatch(ctx, tx, id)
		if err != nil {
			return db.NotFound(err, "Match")
		}
		return fn(tx, m)
	})
}

// decide stores a match's result and advances the bracket (see advance).
func (s *Service) decide(ctx context.Context, tx pgx.Tx, m dbsqlc.LockMatchRow, sc Score, status string) error {
	winner, loser := *m.ASeed, *m.BSeed
	if sc.B > sc.A {
		winner, loser = loser, winner
	}
	if err := s.q.DecideMatch(ctx, tx, dbsqlc.DecideMatchParams{Status: status, ScoreA: &sc.A, ScoreB: &sc.B,
		WinnerSeed: &winner, LoserSeed: &loser, Now: s.now(), ID: m.ID}); err != nil {
		return err
	}
	return s.advance(ctx, tx, m.TournamentID, m.Format, []placement{{m.Number, m.Stage, *m.ASeed, winner, loser}})
}

// placement is a decided match whose winner and loser go on to the matches it feeds; -1 is
// nobody (a double forfeit, a disqualified loser), which leaves a side never to be filled.
type placement struct {
	number           int32
	stage            string
	a, winner, loser int32
}

// advance places decided matches' winners and losers, in the caller's transaction and in a
// fixed number of statements whatever the bracket's size: it opens the matches that now
// know both sides, skips a grand-final reset the winners' champion made unnecessary, and
// completes the tournament (or, in Swiss, has the next round paired) when nothing is left
// to play. Only a side that will never be filled makes it go round again: the walkovers that
// decides are placed in turn.
func (s *Service) advance(ctx context.Context, tx pgx.Tx, tid uuid.UUID, format string, todo []placement) error {
	for len(todo) > 0 {
		for _, p := range todo {
			if err := s.q.Advance(ctx, tx, dbsqlc.AdvanceParams{Number: p.number, WinnerSeed: p.winner, LoserSeed: p.loser, TournamentID: tid}); err != nil {
				return err
			}
			if p.stage == string(bracket.GrandFinal) && p.winner >= 0 && p.winner == p.a {
				// The reset is laid out right after the grand final.
				if err := s.q.SkipMatch(ctx, tx, dbsqlc.SkipMatchParams{TournamentID: tid, Number: p.number + 1}); err != nil {
					return err
				}
			}
		}
		settled, err := s.q.Settle(ctx, tx, dbsqlc.SettleParams{Now: s.now(), TournamentID: tid})
		if err != nil {
			return err
		}
		todo = todo[:0]
		for _, r := range settled {
			switch r.Status {
			case StatusBye:
				todo = append(todo, placement{r.Number, r.Stage, *r.ASeed, *r.WinnerSeed, -1})
			case StatusSkipped:
				todo = append(todo, placement{r.Number, r.Stage, *r.ASeed, -1, -1})
			}
		}
	}
	open, err := s.q.OpenMatches(ctx, tx, tid)
	switch {
	case err != nil || open > 0:
		return err
	case format == tournament.FormatSwiss: // the round is over: pair the next one (or end the stage)
		_, err := s.cfg.Jobs.InsertTx(ctx, tx, PairSwissRoundArgs{TournamentID: tid}, nil)
		return err
	default:
		return s.complete(ctx, tx, tid)
	}
}

// bracketRows reads a bracket's matches with names (one query); no bracket is ENOTFOUND.
func (s *Service) bracketRows(ctx context.Context, conn dbsqlc.DBTX, tid uuid.UUID) ([]dbsqlc.GetBracketRow, error) {
	rows, err := s.q.GetBracket(ctx, conn, tid)
	if err == nil && len(rows) == 0 {
		err = arena.Errorf(arena.ENOTFOUND, "This tournament has no bracket yet.")
	}
	return rows, err
}

// GetMatch returns a match with its entrants' names (one query). Errors: ENOTFOUND.
func (s *Service) GetMatch(ctx context.Context, matchID string) (*MatchView, error) {
	id, err := db.ParseID(matchID, "Match")
	if err != nil {
		return nil, err
	}
	r, err := s.q.GetMatch(ctx, s.pool, id)
	if err != nil {
		return nil, db.NotFound(err, "Match")
	}
	v := viewOf(dbsqlc.ListMatchesRow(r))
	return &v, nil
}

// MatchFilter selects matches of a tournament; zero fields do not filter.
type MatchFilter struct {
	Round  int32
	Status string
	arena.Page
}

// ListMatches pages through a tournament's matches in play order (one query).
// Errors: EINVALID (cursor).
func (s *Service) ListMatches(ctx context.Context, tournamentID string, f MatchFilter) ([]MatchView, string, error) {
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, "", err
	}
	p := dbsqlc.ListMatchesParams{TournamentID: tid, AfterNumber: -1, MaxRows: int32(f.Limit) + 1}
	if f.Cursor != "" {
		if err := arena.DecodeCursor(f.Cursor, &p.AfterNumber); err != nil {
			return nil, "", err
		}
	}
	if f.Round > 0 {
		p.Round = &f.Round
	}
	if f.Status != "" {
		p.Status = &f.Status
	}
	rows, err := s.q.ListMatches(ctx, s.pool, p)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, f.Limit, func(r dbsqlc.ListMatchesRow) any { return r.Number })
	out := make([]MatchView, len(rows))
	for i, r := range rows {
		out[i] = viewOf(r)
	}
	return out, next, nil
}

func viewOf(r dbsqlc.ListMatchesRow) MatchView {
	return MatchView{ID: r.ID, Number: r.Number, Stage: r.Stage, Group: r.Grp, Round: r.Round, Order: r.Ord, Status: r.Status,
		A: Side{Seed: known(r.ASeed), Name: r.AName}, B: Side{Seed: known(r.BSeed), Name: r.BName}, ScoreA: r.ScoreA, ScoreB: r.ScoreB, Winner: r.WinnerSeed}
}

// known hides the seed of a side that will never be filled (-1): to clients it is empty.
func known(seed *int32) *int32 {
	if seed != nil && *seed < 0 {
		return nil
	}
	return seed
}
