package registration

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/tournament"
)

// Remove takes an entry out of a tournament on the organizer's decision once registration
// has closed and before the bracket is laid (while registration is open the entrant
// withdraws; once the bracket runs, a side is disqualified in its match). The slot is freed
// and reason recorded; with refund, every member whose wallet paid is refunded in the same
// transaction, keyed as every refund of the entry is (so never twice), and without it the
// fees stay in escrow. A manual payment was made outside Arena: refunding it is the
// organizer's to do there. The tournament's row is held so that it cannot start meanwhile.
// Organizer or admin only. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, ECONFLICT (not
// between registration and the bracket, the entry already ended).
func (s *Service) Remove(ctx context.Context, registrationID string, refund bool, reason string) error {
	return s.withEntry(ctx, registrationID, true, func(tx pgx.Tx, e entry) error {
		if err := e.requireEntrant(); err != nil {
			return err
		}
		if !e.organizer {
			return arena.Errorf(arena.EFORBIDDEN, "Only the organizer removes entries.")
		}
		switch e.terms.Status {
		case tournament.StatusRegistrationClosed, tournament.StatusCheckIn:
		case tournament.StatusRegistrationOpen:
			return arena.Errorf(arena.ECONFLICT, "Registration is open: the entrant can withdraw; remove entries once it closes.")
		default:
			return arena.Errorf(arena.ECONFLICT, "Entries are removed between the close of registration and the bracket; this tournament is %s.", e.terms.Status)
		}
		if !slices.Contains([]string{StatusPendingPayment, StatusConfirmed, StatusCheckedIn}, e.reg.Status) {
			return arena.Errorf(arena.ECONFLICT, "A %s registration cannot be removed.", e.reg.Status)
		}
		return s.end(ctx, tx, e, StatusRemoved, refund, &reason)
	})
}
