package registration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
	"github.com/arenaesports/arena/modules/identity"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type testBundle struct {
	ctx         context.Context
	pool        *pgxpool.Pool
	svc         *Service
	tournaments *tournament.Service
	wallet      *wallet.Service
	jobs        *river.Client[pgx.Tx]
	admin       context.Context
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	return setupOn(t, dbtest.Pool(t))
}

func setupOn(t testing.TB, pool *pgxpool.Pool) *testBundle {
	t.Helper()
	// An insert-only client. River also sends a pg_notify with an insert when more than
	// FetchCooldown has passed since its last one; a cooldown longer than any test keeps
	// that to the first insert, so round-trip counts do not depend on timing.
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{FetchCooldown: time.Hour, FetchPollInterval: time.Hour})
	require.NoError(t, err)
	b := &testBundle{ctx: context.Background(), pool: pool, jobs: jobs,
		admin: arena.WithCaller(context.Background(), arena.Caller{ID: db.NewID(), Roles: []string{arena.RolePlayer, arena.RoleAdmin}})}
	b.wallet = wallet.New(pool, wallet.Config{})
	b.tournaments = tournament.New(pool, tournament.Config{Jobs: jobs, Escrow: b.wallet})
	b.svc = New(pool, Config{Tournaments: b.tournaments, Wallet: b.wallet, Identity: identity.New(pool, identity.Config{}), Jobs: jobs})
	_, err = b.tournaments.CreateGame(b.admin, tournament.NewGame{Slug: "arena-5v5", Name: "Arena 5v5", TeamSizeMin: 2, TeamSizeMax: 10})
	require.NoError(t, err)
	return b
}

// as is ctx acting for user.
func (b *testBundle) as(user uuid.UUID) context.Context {
	return arena.WithCaller(b.ctx, arena.Caller{ID: user, Roles: []string{arena.RolePlayer, arena.RoleOrganizer}})
}

// users inserts n users (handles prefix0…) and deposits funds (minor units of EUR) into each.
func (b *testBundle) users(t testing.TB, prefix string, n int, funds int64) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	var legs []wallet.Leg
	for i := range ids {
		ids[i] = db.NewID()
		_, err := b.pool.Exec(b.ctx, `INSERT INTO users (id, email, handle, display_name, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $3, 'x', now(), now())`, ids[i], fmt.Sprintf("%s%d@example.com", prefix, i), fmt.Sprintf("%s%d", prefix, i))
		require.NoError(t, err)
		if funds > 0 {
			legs = append(legs, wallet.Leg{Debit: wallet.WorldAccount(), Credit: wallet.UserAccount(ids[i]), Amount: funds,
				Currency: "EUR", Kind: wallet.Deposit, Reference: "test", Key: ids[i].String()})
		}
		if len(legs) == 500 || (i == n-1 && len(legs) > 0) {
			_, err := b.wallet.TransferMany(b.ctx, legs)
			require.NoError(t, err)
			legs = nil
		}
	}
	return ids
}

// team inserts a team captained by members[0].
func (b *testBundle) team(t testing.TB, name string, members []uuid.UUID) uuid.UUID {
	t.Helper()
	id := db.NewID()
	_, err := b.pool.Exec(b.ctx, `INSERT INTO teams (id, name, captain_id, max_members, created_at, updated_at) VALUES ($1, $2, $3, 32, now(), now())`,
		id, name, members[0])
	require.NoError(t, err)
	for i, m := range members {
		_, err := b.pool.Exec(b.ctx, `INSERT INTO team_members (team_id, user_id, joined_at) VALUES ($1, $2, now() + $3 * interval '1 ms')`, id, m, i)
		require.NoError(t, err)
	}
	return id
}

type tournamentSpec struct {
	participantType string
	capacity        int32
	fee             int64
	manual          bool
	fields          []tournament.CustomField
	checkIn         bool
}

// openTournament creates a tournament with registration open and returns its id and its
// organizer.
func (b *testBundle) openTournament(t testing.TB, spec tournamentSpec) (uuid.UUID, uuid.UUID) {
	t.Helper()
	org := b.users(t, "org"+db.NewID().String()[30:], 1, 0)[0]
	now := time.Now()
	in := tournament.TournamentInput{Name: "Test Cup", Game: "arena-5v5", Format: "single_elimination",
		ParticipantType: spec.participantType, Capacity: spec.capacity,
		EntryFee:            &tournament.Money{Amount: spec.fee, Currency: "EUR"},
		RegistrationOpensAt: now.Add(-time.Hour), RegistrationClosesAt: now.Add(time.Hour), StartsAt: now.Add(3 * time.Hour),
		CustomFields: spec.fields}
	if spec.manual {
		in.PaymentMethod = "manual"
	}
	if spec.checkIn {
		opens, closes := now.Add(time.Hour), now.Add(2*time.Hour)
		in.CheckInOpensAt, in.CheckInClosesAt = &opens, &closes
	}
	tr, err := b.tournaments.CreateTournament(b.as(org), in)
	require.NoError(t, err)
	for _, to := range []string{tournament.StatusPublished, tournament.StatusRegistrationOpen} {
		_, err := b.tournaments.Transition(b.as(org), tr.ID.String(), to)
		require.NoError(t, err)
	}
	return tr.ID, org
}

// startWorkers works the module's jobs (its own and the tournament lifecycle's) until the
// test ends.
func (b *testBundle) startWorkers(t testing.TB) *dbtest.Workers {
	t.Helper()
	workers := river.NewWorkers()
	b.svc.AddWorkers(workers)
	return dbtest.StartWorkers(t, b.pool, workers)
}

func (b *testBundle) balance(t testing.TB, a wallet.Account) int64 {
	t.Helper()
	var bal int64
	err := b.pool.QueryRow(b.ctx, "SELECT coalesce(sum(balance), 0) FROM wallet_accounts WHERE kind = $1 AND owner_id = $2", a.Kind, a.OwnerID).Scan(&bal)
	require.NoError(t, err)
	return bal
}

func (b *testBundle) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, b.pool.QueryRow(b.ctx, sql, args...).Scan(&n))
	return n
}

func (b *testBundle) requireBooksBalance(t testing.TB) {
	t.Helper()
	v, err := b.wallet.Audit(b.ctx)
	require.NoError(t, err)
	require.Empty(t, v)
}
