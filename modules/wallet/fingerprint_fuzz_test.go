package wallet

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzFingerprint: an idempotency fingerprint is the same for the same input however often
// it is taken and after the input's JSON round trip (what a replay compares), and differs
// when the money asked for differs, or a retry with another amount would replay the first.
func FuzzFingerprint(f *testing.F) {
	f.Add("0190a000-0000-7000-8000-000000000001", "k1", int64(500), "EUR", int64(501), "EUR")
	f.Add("0190a000-0000-7000-8000-000000000001", "k1", int64(500), "EUR", int64(500), "USD")
	f.Add("", "", int64(0), "", int64(-1), "\u2028")
	f.Fuzz(func(t *testing.T, user, key string, amount int64, currency string, amount2 int64, currency2 string) {
		for _, s := range []string{user, key, currency, currency2} {
			if !utf8.ValidString(s) {
				t.Skip("huma hands over only valid UTF-8 (see fingerprint)")
			}
		}
		in := DepositInput{UserID: user, IdempotencyKey: IdempotencyKey{key}, Body: MoneyInput{Amount: amount, Currency: currency}}
		h1, err := fingerprint(&in)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var back DepositInput
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		h2, err := fingerprint(&back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(h1, h2) {
			t.Fatalf("round trip changed the fingerprint of %+v (became %+v)", in, back)
		}
		other := in
		other.Body = MoneyInput{Amount: amount2, Currency: currency2}
		h3, err := fingerprint(&other)
		if err != nil {
			t.Fatal(err)
		}
		if other.Body != in.Body && bytes.Equal(h1, h3) {
			t.Fatalf("%+v and %+v share a fingerprint", in.Body, other.Body)
		}
	})
}
