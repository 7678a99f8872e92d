package identity

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := hashPassword("correct horse battery")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$"), h)

	other, err := hashPassword("correct horse battery")
	require.NoError(t, err)
	require.NotEqual(t, h, other, "each hash has its own salt")

	ok, stale, err := verifyPassword("correct horse battery", h)
	require.NoError(t, err)
	require.True(t, ok)
	require.False(t, stale)

	ok, _, err = verifyPassword("correct horse batterY", h)
	require.NoError(t, err)
	require.False(t, ok)
}

func TestPasswordHashWithWeakerParamsIsStale(t *testing.T) {
	t.Parallel()
	weak := argonParams{memoryKiB: 8 * 1024, time: 1, threads: 1}
	salt := []byte("0123456789abcdef")
	key := derive("pw", salt, weak)
	encoded := "$argon2id$v=19$m=8192,t=1,p=1$" + b64(salt) + "$" + b64(key)
	ok, stale, err := verifyPassword("pw", encoded)
	require.NoError(t, err)
	require.True(t, ok, "old hashes keep verifying after the parameters are raised")
	require.True(t, stale)
}

func TestDecodeHashRejectsMalformed(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=19$m=x,t=2,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=19$m=19456,t=2,p=1$!!$a2V5",
	} {
		_, _, err := verifyPassword("pw", bad)
		require.Error(t, err, "%q", bad)
	}
}
