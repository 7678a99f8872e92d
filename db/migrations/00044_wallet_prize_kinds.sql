-- Wallet: the organizer's added prize moves into a tournament's escrow (added_prize) and back
-- when the tournament is cancelled (added_prize_return); the cents a prize split cannot divide
-- go to the platform as prize_rounding, so that a paid-out escrow ends at exactly zero.

-- +goose Up
ALTER TABLE wallet_transfers DROP CONSTRAINT wallet_transfers_kind_check;
ALTER TABLE wallet_transfers ADD CONSTRAINT wallet_transfers_kind_check
    CHECK (kind IN ('deposit', 'withdrawal', 'withdrawal_release', 'entry_fee', 'refund', 'prize', 'platform_fee',
                    'adjustment', 'added_prize', 'added_prize_return', 'prize_rounding'));

-- +goose Down
ALTER TABLE wallet_transfers DROP CONSTRAINT wallet_transfers_kind_check;
ALTER TABLE wallet_transfers ADD CONSTRAINT wallet_transfers_kind_check
    CHECK (kind IN ('deposit', 'withdrawal', 'withdrawal_release', 'entry_fee', 'refund', 'prize', 'platform_fee', 'adjustment'));
