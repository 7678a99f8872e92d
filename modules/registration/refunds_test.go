package registration

import (
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// TestCancellationRefunds cancels a tournament with 2 000 paid entrants: River jobs refund
// everyone exactly once in chunks, every wallet is back to its balance before registering,
// the books balance, and running the jobs again moves nothing.
func TestCancellationRefunds(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const n, fee, funds = 2000, 300, 1000
	tid, org := b.openTournament(t, tournamentSpec{participantType: "solo", capacity: n, fee: fee})
	players := b.users(t, "cxl", n, funds)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				if _, err := b.svc.Register(b.as(players[i]), tid.String(), NewRegistration{}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	require.Equal(t, int64(n*fee), b.balance(t, wallet.EscrowAccount(tid)))

	w := b.startWorkers(t)
	_, err := b.tournaments.Transition(b.as(org), tid.String(), tournament.StatusCancelled)
	require.NoError(t, err)
	w.WaitIdle(t)

	p, err := b.svc.Refunds(b.ctx, tid.String())
	require.NoError(t, err)
	require.Equal(t, RefundProgress{Refunded: n, Total: n}, *p)
	require.Equal(t, n, b.count(t, "SELECT count(*) FROM wallet_transfers WHERE kind = 'refund'"))
	require.Equal(t, 0, b.count(t, `SELECT count(*) FROM wallet_accounts WHERE kind = 'user' AND balance <> $1
		AND owner_id IN (SELECT user_id FROM registration_members WHERE tournament_id = $2)`, funds, tid))
	require.Equal(t, int64(0), b.balance(t, wallet.EscrowAccount(tid)))
	require.Equal(t, n, b.count(t, "SELECT count(*) FROM registrations WHERE tournament_id = $1 AND status = 'cancelled'", tid))
	b.requireBooksBalance(t)

	// The jobs run again (a retry, a duplicate enqueue): nothing moves twice.
	_, err = b.jobs.Insert(b.ctx, tournament.CancelledArgs{TournamentID: tid}, nil)
	require.NoError(t, err)
	_, err = b.jobs.Insert(b.ctx, RefundArgs{TournamentID: tid}, nil)
	require.NoError(t, err)
	w.WaitIdle(t)
	require.Equal(t, n, b.count(t, "SELECT count(*) FROM wallet_transfers WHERE kind = 'refund'"))
	b.requireBooksBalance(t)
}

// seedEndedEntries creates n users with ended, charged solo entries in a new tournament
// whose escrow holds their fees: the state a cancellation leaves refunds in.
func seedEndedEntries(b testing.TB, bundle *testBundle, n int) uuid.UUID {
	tid, _ := bundle.openTournament(b, tournamentSpec{participantType: "solo", capacity: 4096, fee: 300})
	users := make([]uuid.UUID, n)
	for i := range users {
		users[i] = db.NewID()
	}
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO users (id, email, handle, display_name, password_hash, created_at, updated_at)
		  SELECT u, u::text || '@example.com', left('u' || replace(u::text, '-', ''), 32), 'U', 'x', now(), now() FROM unnest($1::uuid[]) u`, []any{users}},
		{`INSERT INTO registrations (id, tournament_id, registered_by, status, payment, entry_fee, currency, created_at, updated_at)
		  SELECT gen_random_uuid(), $1, u, 'cancelled', 'wallet', 300, 'EUR', now(), now() FROM unnest($2::uuid[]) u`, []any{tid, users}},
		{`INSERT INTO registration_members (registration_id, tournament_id, user_id, active, charged)
		  SELECT id, tournament_id, registered_by, false, true FROM registrations WHERE tournament_id = $1`, []any{tid}},
	} {
		if _, err := bundle.pool.Exec(bundle.ctx, st.sql, st.args...); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := bundle.wallet.TransferMany(bundle.ctx, []wallet.Leg{{Debit: wallet.WorldAccount(), Credit: wallet.EscrowAccount(tid),
		Amount: int64(300 * n), Currency: "EUR", Kind: wallet.Adjustment, Reference: "seed", Key: tid.String()}}); err != nil {
		b.Fatal(err)
	}
	return tid
}

// BenchmarkRefunds compares paying back fees in chunks of 500 (one transaction and one
// batched ledger write per chunk) with one transfer per transaction. One op = one member
// refunded; run with -benchtime 2000x.
func BenchmarkRefunds(b *testing.B) {
	b.Run("Chunked500", func(b *testing.B) {
		bundle := setup(b)
		tid := seedEndedEntries(b, bundle, b.N)
		b.ResetTimer()
		for refunded := 0; refunded < b.N; {
			err := pgx.BeginFunc(bundle.ctx, bundle.pool, func(tx pgx.Tx) error {
				n, err := bundle.svc.RefundChunkTx(bundle.ctx, tx, tid)
				refunded += n
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OnePerTransaction", func(b *testing.B) {
		bundle := setup(b)
		tid := seedEndedEntries(b, bundle, b.N)
		rows, err := bundle.pool.Query(bundle.ctx, "SELECT registration_id, user_id FROM registration_members WHERE tournament_id = $1", tid)
		if err != nil {
			b.Fatal(err)
		}
		type member struct{ reg, user uuid.UUID }
		var members []member
		for rows.Next() {
			var m member
			if err := rows.Scan(&m.reg, &m.user); err != nil {
				b.Fatal(err)
			}
			members = append(members, m)
		}
		b.ResetTimer()
		for _, m := range members {
			err := pgx.BeginFunc(bundle.ctx, bundle.pool, func(tx pgx.Tx) error {
				if _, err := bundle.wallet.TransferManyTx(bundle.ctx, tx, []wallet.Leg{refundLeg(m.reg, m.user, tid, 300, "EUR")}); err != nil {
					return err
				}
				_, err := tx.Exec(bundle.ctx, "UPDATE registration_members SET refunded_at = now() WHERE registration_id = $1 AND user_id = $2", m.reg, m.user)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
