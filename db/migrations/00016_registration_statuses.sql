-- Registration: the statuses' CHECK lists exactly the statuses the code knows. 'rejected'
-- was allowed from the start but never written: a rejected manual payment leaves the entry
-- pending_payment (the payment verification is what is rejected), so no row holds it.

-- +goose Up
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('pending_payment', 'confirmed', 'checked_in', 'withdrawn', 'disqualified', 'dropped', 'cancelled'));

-- +goose Down
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('pending_payment', 'confirmed', 'checked_in', 'withdrawn', 'disqualified', 'dropped', 'rejected',
                      'cancelled'));
