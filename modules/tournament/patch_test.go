package tournament

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPatchFieldsCoverThePatch checks the one table of patchable fields against the type
// the API decodes: one entry per TournamentPatch field, in its order, under its JSON name,
// each applied to the input field of the same name.
func TestPatchFieldsCoverThePatch(t *testing.T) {
	t.Parallel()
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	want := TournamentInput{Name: "Spring Cup", Description: "d", Game: "chess", Format: FormatSwiss,
		ParticipantType: ParticipantTeam, Capacity: 64, EntryFee: &Money{Amount: 500, Currency: "EUR"},
		PaymentMethod: PaymentManual, PrizeDistribution: []int32{70, 30}, PlatformFeeBps: 250,
		AddedPrize: &Money{Amount: 1000, Currency: "EUR"}, PayoutReview: PayoutManual,
		RegistrationOpensAt: at, RegistrationClosesAt: at.Add(time.Hour), CheckInOpensAt: ptr(at.Add(2 * time.Hour)),
		CheckInClosesAt: ptr(at.Add(3 * time.Hour)), StartsAt: at.Add(4 * time.Hour), GameSettings: map[string]any{"best_of": 3.0},
		AllowDraws: true, Points: &Points{Win: 2, Draw: 1}, Play: Play{Pairing: PairingValve, Tiebreaks: []string{TiebreakPoints, TiebreakBuchholz}},
		ReportWindow: 45, Rules: "r", Sponsors: []Sponsor{{Name: "S", URL: "https://example.org"}}, CustomFields: []CustomField{{Key: "k", Label: "K", Type: FieldText}}}

	// A patch setting every field to want's value, built from the names alone.
	var p TournamentPatch
	pv, wv := reflect.ValueOf(&p).Elem(), reflect.ValueOf(want)
	for i := range pv.NumField() {
		src := wv.FieldByName(pv.Type().Field(i).Name)
		require.True(t, src.IsValid(), "TournamentInput has no field %s", pv.Type().Field(i).Name)
		if src.Kind() != reflect.Pointer {
			v := reflect.New(src.Type())
			v.Elem().Set(src)
			src = v
		}
		pv.Field(i).Set(src)
	}

	fields := p.fields()
	require.Len(t, fields, pv.NumField())
	var got TournamentInput
	for i, f := range fields {
		name, _, _ := strings.Cut(pv.Type().Field(i).Tag.Get("json"), ",")
		require.Equal(t, name, f.name, "field %d", i)
		require.True(t, f.set, f.name)
		f.apply(&got)
	}
	require.Equal(t, want, got)
	for _, f := range (TournamentPatch{}).fields() {
		require.False(t, f.set, "an empty patch sets %s", f.name)
	}
}

func TestPatchFieldsLockByStatus(t *testing.T) {
	t.Parallel()
	editable := func(status string) []string {
		var out []string
		for _, f := range (TournamentPatch{}).fields() {
			if f.editableIn(status) {
				out = append(out, f.name)
			}
		}
		return out
	}
	all := editable(StatusDraft)
	require.Len(t, all, 25)
	require.Equal(t, slices.DeleteFunc(all, func(f string) bool { return f == "added_prize" }), editable(StatusPublished),
		"the added prize is funded at publication")
	presentation := []string{"name", "description", "rules", "sponsors", "report_window", "payout_review"}
	play := []string{"allow_draws", "points", "play"}            // until the bracket is laid, with its own copy
	prizes := []string{"prize_distribution", "platform_fee_bps"} // until the start
	require.ElementsMatch(t, append(append(append(presentation, play...), prizes...), "capacity", "registration_closes_at",
		"check_in_opens_at", "check_in_closes_at", "starts_at"), editable(StatusRegistrationOpen))
	require.Equal(t, editable(StatusRegistrationOpen), editable(StatusRegistrationClosed))
	require.ElementsMatch(t, append(append(append(presentation, play...), prizes...), "starts_at"), editable(StatusCheckIn))
	require.ElementsMatch(t, presentation, editable(StatusRunning))
	require.Empty(t, editable(StatusCompleted))
	require.Empty(t, editable(StatusCancelled))
	require.Empty(t, editable("unknown"))
}

func ptr[T any](v T) *T { return &v }
