package registration

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db/dbtest"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

func TestSoloJoin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tid, _ := b.openTournament(t, tournamentSpec{participantType: "solo", capacity: 8, fee: 500})
	players := b.users(t, "solo", 2, 1000)

	r, err := b.svc.Register(b.as(players[0]), tid.String(), NewRegistration{})
	require.NoError(t, err)
	require.Equal(t, StatusConfirmed, r.Status)
	require.Equal(t, int64(500), b.balance(t, wallet.UserAccount(players[0])))
	require.Equal(t, int64(500), b.balance(t, wallet.EscrowAccount(tid)))
	notice := rivertest.RequireInserted(b.ctx, t, riverpgxv5.New(b.pool), NoticeArgs{}, nil)
	require.Equal(t, r.ID, notice.Args.RegistrationID)
	require.Equal(t, players[0], notice.Args.UserID)

	_, err = b.svc.Register(b.as(players[0]), tid.String(), NewRegistration{})
	require.Equal(t, arena.ECONFLICT, arena.ErrorCode(err))
	require.Contains(t, err.Error(), "already registered")
	require.Equal(t, int64(500), b.balance(t, wallet.UserAccount(players[0])), "the failed attempt charged nothing")

	team := b.team(t, "Not Here", players)
	_, err = b.svc.Register(b.as(players[1]), tid.String(), NewRegistration{TeamID: &team})
	require.Error(t, err, "a team cannot enter a solo tournament (and players[1] is not its captain)")

	terms, err := b.tournaments.Terms(b.ctx, tid)
	require.NoError(t, err)
	require.Equal(t, int32(1), terms.Taken)
	b.requireBooksBalance(t)
}

// TestTeamJoinIsAllOrNothing: one member short of funds → 409 naming them, zero transfers,
// zero jobs, no slot.
func TestTeamJoinIsAllOrNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tid, _ := b.openTournament(t, tournamentSpec{participantType: "team", capacity: 4, fee: 300})
	rich := b.users(t, "rich", 4, 1000)
	poor := b.users(t, "poor", 1, 100)
	team := b.team(t, "Almost", append(rich, poor...))

	_, err := b.svc.Register(b.as(rich[0]), tid.String(), NewRegistration{TeamID: &team})
	require.Equal(t, arena.ECONFLICT, arena.ErrorCode(err))
	require.Contains(t, err.Error(), "@poor0")
	require.NotContains(t, err.Error(), "100", "never reveals a balance")
	require.Equal(t, 0, b.count(t, "SELECT count(*) FROM wallet_transfers WHERE kind = 'entry_fee'"))
	rivertest.RequireNotInserted(b.ctx, t, riverpgxv5.New(b.pool), NoticeArgs{}, nil)
	require.Equal(t, 0, b.count(t, "SELECT count(*) FROM registrations"))
	for _, u := range rich {
		require.Equal(t, int64(1000), b.balance(t, wallet.UserAccount(u)))
	}
	terms, err := b.tournaments.Terms(b.ctx, tid)
	require.NoError(t, err)
	require.Equal(t, int32(0), terms.Taken)

	_, err = b.svc.Register(b.as(rich[1]), tid.String(), NewRegistration{TeamID: &team})
	require.Equal(t, arena.EFORBIDDEN, arena.ErrorCode(err), "only the captain registers a team")
	_, err = b.svc.Register(b.as(rich[0]), tid.String(), NewRegistration{})
	require.Equal(t, arena.EINVALID, arena.ErrorCode(err), "a team tournament needs a team")

	tooBig := b.team(t, "Crowd", b.users(t, "crowd", 11, 1000))
	var captain uuid.UUID
	require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT captain_id FROM teams WHERE id = $1", tooBig).Scan(&captain))
	_, err = b.svc.Register(b.as(captain), tid.String(), NewRegistration{TeamID: &tooBig})
	require.Equal(t, arena.ECONFLICT, arena.ErrorCode(err))
	require.Contains(t, err.Error(), "2 to 10")
}

// TestTeamJoinQueryCount: a team of 2 and a team of 10 cost the same round trips.
func TestTeamJoinQueryCount(t *testing.T) {
	t.Parallel()
	pool, counter := dbtest.CountingPool(t)
	b := setupOn(t, pool)
	tid, _ := b.openTournament(t, tournamentSpec{participantType: "team", capacity: 8, fee: 100})
	counts := map[int]int64{}
	// The first join also opens the tournament's escrow account (two more statements, once);
	// the measured joins are the steady state after it.
	for _, n := range []int{3, 2, 10} {
		team := b.team(t, fmt.Sprintf("Team of %d", n), b.users(t, fmt.Sprintf("t%d_", n), n, 1000))
		var captain uuid.UUID
		require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT captain_id FROM teams WHERE id = $1", team).Scan(&captain))
		counter.Reset()
		_, err := b.svc.Register(b.as(captain), tid.String(), NewRegistration{TeamID: &team})
		require.NoError(t, err)
		counts[n] = counter.Count()
	}
	require.Equal(t, counts[2], counts[10], "round trips do not grow with the team")
	t.Logf("a paid team join costs %d round trips", counts[2])
}

// TestOverlappingTeamsRace: 100 concurrent joins by teams that share players. No deadlock
// or internal error reaches the caller; nobody ends up in two entries; the books balance.
func TestOverlappingTeamsRace(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tid, _ := b.openTournament(t, tournamentSpec{participantType: "team", capacity: 100, fee: 50})
	players := b.users(t, "pool", 40, 10_000)
	type entrant struct{ captain, team uuid.UUID }
	var entrants []entrant
	for i := 0; i < 100; i++ {
		members := []uuid.UUID{players[i%40]}
		for j := 1; j < 5; j++ {
			members = append(members, players[(i*7+j*3)%40])
		}
		members = uniq(members)
		if len(members) < 2 {
			continue
		}
		entrants = append(entrants, entrant{members[0], b.team(t, fmt.Sprintf("Overlap %d", i), members)})
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(entrants))
	for _, e := range entrants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := b.svc.Register(b.as(e.captain), tid.String(), NewRegistration{TeamID: &e.team})
			if err != nil && arena.ErrorCode(err) != arena.ECONFLICT {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a join failed with more than a conflict: %v", err)
	}
	require.Equal(t, 0, b.count(t, `SELECT count(*) FROM (SELECT user_id FROM registration_members WHERE tournament_id = $1 AND active
		GROUP BY user_id HAVING count(*) > 1) d`, tid))
	entries := b.count(t, "SELECT count(*) FROM registrations WHERE tournament_id = $1", tid)
	charged := b.count(t, "SELECT count(*) FROM registration_members WHERE tournament_id = $1", tid)
	require.Greater(t, entries, 0)
	require.Equal(t, int64(charged)*50, b.balance(t, wallet.EscrowAccount(tid)))
	terms, err := b.tournaments.Terms(b.ctx, tid)
	require.NoError(t, err)
	require.Equal(t, int32(entries), terms.Taken)
	b.requireBooksBalance(t)
}

func uniq(ids []uuid.UUID) []uuid.UUID {
	seen := map[uuid.UUID]bool{}
	var out []uuid.UUID
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func TestAnswers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	fields := []tournament.CustomField{
		{Key: "rank", Label: "Rank", Type: "select", Required: true, Options: []string{"gold", "silver"}},
		{Key: "age", Label: "Age", Type: "number"},
		{Key: "discord", Label: "Discord", Type: "text"},
		{Key: "rules", Label: "I accept the rules", Type: "checkbox", Required: true},
	}
	tid, _ := b.openTournament(t, tournamentSpec{participantType: "solo", capacity: 16, fields: fields})
	players := b.users(t, "ans", 8, 0)
	for i, tc := range []struct {
		answers map[string]any
		field   string
	}{
		{map[string]any{"rules": true}, "answers.rank"},
		{map[string]any{"rank": "bronze", "rules": true}, "answers.rank"},
		{map[string]any{"rank": "gold", "rules": false}, "answers.rules"},
		{map[string]any{"rank": "gold", "rules": true, "age": "old"}, "answers.age"},
		{map[string]any{"rank": "gold", "rules": true, "shoe": 42.0}, "answers.shoe"},
		{map[string]any{"rank": "gold", "rules": true, "discord": 7.0}, "answers.discord"},
	} {
		_, err := b.svc.Register(b.as(players[i]), tid.String(), NewRegistration{Answers: tc.answers})
		require.Equal(t, arena.EINVALID, arena.ErrorCode(err), "%v", tc.answers)
		require.Contains(t, err.Error(), tc.field)
	}
	_, err := b.svc.Register(b.as(players[7]), tid.String(), NewRegistration{Answers: map[string]any{"rank": "gold", "rules": true, "age": 19.0}})
	require.NoError(t, err)
	terms, err := b.tournaments.Terms(b.ctx, tid)
	require.NoError(t, err)
	require.Equal(t, int32(1), terms.Taken, "rejected answers took no slot")
}

func TestWithdrawRefundsEveryMember(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tid, _ := b.openTournament(t, tournamentSpec{participantType: "team", capacity: 4, fee: 250})
	members := b.users(t, "wd", 3, 1000)
	team := b.team(t, "Leavers", members)
	r, err := b.svc.Register(b.as(members[0]), tid.String(), NewRegistration{TeamID: &team})
	require.NoError(t, err)
	require.Equal(t, "Leavers", r.Team.Name)
	require.Equal(t, "wd0", r.RegisteredBy.Handle)
	require.Equal(t, arena.ENOTFOUND, arena.ErrorCode(b.svc.Withdraw(b.as(members[1]), r.ID.String())), "only the registrant")
	require.NoError(t, b.svc.Withdraw(b.as(members[0]), r.ID.String()))
	require.NoError(t, b.svc.Withdraw(b.as(members[0]), r.ID.String()), "twice is a no-op")
	for _, m := range members {
		require.Equal(t, int64(1000), b.balance(t, wallet.UserAccount(m)))
	}
	require.Equal(t, int64(0), b.balance(t, wallet.EscrowAccount(tid)))
	require.Equal(t, 3, b.count(t, "SELECT count(*) FROM wallet_transfers WHERE kind = 'refund'"))
	terms, err := b.tournaments.Terms(b.ctx, tid)
	require.NoError(t, err)
	require.Equal(t, int32(0), terms.Taken, "the slot is free again")
	// The team can enter again.
	_, err = b.svc.Register(b.as(members[0]), tid.String(), NewRegistration{TeamID: &team})
	require.NoError(t, err)
	b.requireBooksBalance(t)
}

func TestManualPayment(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tid, org := b.openTournament(t, tournamentSpec{participantType: "solo", capacity: 4, fee: 2000, manual: true})
	player := b.users(t, "man", 1, 0)[0]
	r, err := b.svc.Register(b.as(player), tid.String(), NewRegistration{})
	require.NoError(t, err)
	require.Equal(t, StatusPendingPayment, r.Status)
	require.Equal(t, 0, b.count(t, "SELECT count(*) FROM wallet_transfers WHERE kind = 'entry_fee'"), "no wallet charge")

	_, err = b.svc.DecidePayment(b.as(org), r.ID.String(), true)
	require.Equal(t, arena.ECONFLICT, arena.ErrorCode(err), "nothing submitted yet")
	require.NoError(t, b.svc.SubmitPayment(b.as(player), r.ID.String(), "BANK-123"))
	require.Equal(t, arena.ECONFLICT, arena.ErrorCode(b.svc.SubmitPayment(b.as(player), r.ID.String(), "BANK-124")))
	_, err = b.svc.DecidePayment(b.as(player), r.ID.String(), true)
	require.Equal(t, arena.EFORBIDDEN, arena.ErrorCode(err))

	status, err := b.svc.DecidePayment(b.as(org), r.ID.String(), false)
	require.NoError(t, err)
	require.Equal(t, StatusPendingPayment, status, "a rejected reference can be replaced")
	require.NoError(t, b.svc.SubmitPayment(b.as(player), r.ID.String(), "BANK-125"))
	status, err = b.svc.DecidePayment(b.as(org), r.ID.String(), true)
	require.NoError(t, err)
	require.Equal(t, StatusConfirmed, status)

	list, _, err := b.svc.TournamentRegistrations(b.as(org), tid.String(), "", 10)
	require.NoError(t, err)
	require.Equal(t, "approved", list[0].Payment.Verification)
	public, _, err := b.svc.TournamentRegistrations(b.ctx, tid.String(), "", 10)
	require.NoError(t, err)
	require.Nil(t, public[0].Payment, "only the organizer sees payment state")
	h, err := b.tournaments.TournamentHealth(b.as(org), tid.String())
	require.NoError(t, err)
	require.Equal(t, int32(0), h.PendingPaymentVerifications)
}

func TestCheckInAndDrop(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tid, org := b.openTournament(t, tournamentSpec{participantType: "solo", capacity: 4, fee: 100, checkIn: true})
	players := b.users(t, "ci", 2, 1000)
	regs := make([]*Registration, 2)
	for i, p := range players {
		var err error
		regs[i], err = b.svc.Register(b.as(p), tid.String(), NewRegistration{})
		require.NoError(t, err)
	}
	_, err := b.svc.CheckIn(b.as(players[0]), regs[0].ID.String())
	require.Equal(t, arena.ECONFLICT, arena.ErrorCode(err), "check-in is not open yet")
	// Move the schedule so the check-in window is open now, then open it.
	_, err = b.pool.Exec(b.ctx, `UPDATE tournaments SET registration_opens_at = now() - interval '3 hours',
		registration_closes_at = now() - interval '2 hours', check_in_opens_at = now() - interval '1 hour' WHERE id = $1`, tid)
	require.NoError(t, err)
	for _, to := range []string{tournament.StatusRegistrationClosed, tournament.StatusCheckIn} {
		_, err := b.tournaments.Transition(b.as(org), tid.String(), to)
		require.NoError(t, err)
	}
	status, err := b.svc.CheckIn(b.as(players[0]), regs[0].ID.String())
	require.NoError(t, err)
	require.Equal(t, StatusCheckedIn, status)
	_, err = b.svc.CheckIn(b.as(players[0]), regs[1].ID.String())
	require.Equal(t, arena.ENOTFOUND, arena.ErrorCode(err), "not their entry")

	// The window closes: the job scheduled when check-in opened drops and refunds the rest.
	closed := rivertest.RequireInserted(b.ctx, t, riverpgxv5.New(b.pool), tournament.CheckInClosedArgs{},
		&rivertest.RequireInsertedOpts{State: rivertype.JobStateScheduled})
	require.Equal(t, tid, closed.Args.TournamentID)
	w := b.startWorkers(t)
	w.RunNow(t, closed.JobRow)
	w.WaitIdle(t)
	require.Equal(t, StatusDropped, b.statusOf(t, regs[1].ID))
	require.Equal(t, StatusCheckedIn, b.statusOf(t, regs[0].ID))
	require.Equal(t, int64(1000), b.balance(t, wallet.UserAccount(players[1])), "refunded")
	require.Equal(t, int64(900), b.balance(t, wallet.UserAccount(players[0])))
	b.requireBooksBalance(t)
}

func (b *testBundle) statusOf(t *testing.T, id uuid.UUID) string {
	var s string
	require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT status FROM registrations WHERE id = $1", id).Scan(&s))
	return s
}
