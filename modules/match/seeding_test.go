package match

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/registration"
)

func entrants(names ...string) []registration.Entrant {
	out := make([]registration.Entrant, len(names))
	for i, n := range names {
		out[i] = registration.Entrant{RegistrationID: uuid.New(), Name: n}
	}
	return out
}

func names(es []registration.Entrant) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}

func TestSeeding(t *testing.T) {
	t.Parallel()
	t.Run("RegistrationOrderByDefault", func(t *testing.T) {
		es := entrants("a", "b", "c")
		_, err := seed(es, &Seeding{})
		require.NoError(t, err)
		require.Equal(t, []string{"a", "b", "c"}, names(es))
	})
	t.Run("RandomIsReproducibleFromItsSeed", func(t *testing.T) {
		first := entrants("a", "b", "c", "d", "e", "f", "g", "h")
		again := append([]registration.Entrant(nil), first...)
		sd := &Seeding{Method: "random"}
		recorded, err := seed(first, sd)
		require.NoError(t, err)
		require.NotNil(t, recorded, "the seed used is recorded")
		_, err = seed(again, &Seeding{Method: "random", RandomSeed: recorded})
		require.NoError(t, err)
		require.Equal(t, names(first), names(again))
	})
	t.Run("Manual", func(t *testing.T) {
		es := entrants("a", "b", "c")
		order := []uuid.UUID{es[2].RegistrationID, es[0].RegistrationID, es[1].RegistrationID}
		_, err := seed(es, &Seeding{Method: "manual", Order: order})
		require.NoError(t, err)
		require.Equal(t, []string{"c", "a", "b"}, names(es))
		for _, bad := range [][]uuid.UUID{order[:2], {order[0], order[0], order[1]}, {order[0], order[1], uuid.New()}} {
			_, err := seed(entrants("a", "b", "c"), &Seeding{Method: "manual", Order: bad})
			require.Equal(t, arena.EINVALID, arena.ErrorCode(err))
		}
	})
	t.Run("ByRatingBestFirstStable", func(t *testing.T) {
		es := entrants("a", "b", "c", "d")
		byRating(es, []float64{1500, 1720, 1500, 1900})
		require.Equal(t, []string{"d", "b", "a", "c"}, names(es))
	})
}
