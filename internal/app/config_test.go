package app

import (
	"io"
	"log/slog"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestParseConfig: a flag wins over its environment variable, which wins over the default;
// a bad value is an error naming its flag.
func TestParseConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ARENA_ADDR": ":9000", "ARENA_SESSION_IDLE": "2h", "ARENA_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.0.0/16"}
	getenv := func(k string) string { return env[k] }
	c, err := ParseConfig("serve", []string{"-session-idle", "3h", "-log-level", "debug"}, getenv, io.Discard, nil)
	require.NoError(t, err)
	require.Equal(t, ":9000", c.Addr, "from the environment")
	require.Equal(t, 3*time.Hour, c.SessionIdle, "the flag wins")
	require.Equal(t, 720*time.Hour, c.SessionLifetime, "the default")
	require.Equal(t, slog.LevelDebug, c.LogLevel)
	require.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.0.0/16")}, c.TrustedProxies)

	for flag, value := range map[string]string{
		"db-max-conns": "0", "shutdown-timeout": "soon", "trusted-proxies": "10.0.0.1", "session-idle": "-1h",
		"auth-rate-limit": "-1", "match-auto-confirm": "0s", "rating-tau": "5", "rating-idle-period": "x",
		"log-format": "xml", "log-level": "loud",
	} {
		_, err := ParseConfig("serve", []string{"-" + flag, value}, getenv, io.Discard, nil)
		require.ErrorContains(t, err, flag+":", "-%s %s", flag, value)
	}
	_, err = ParseConfig("serve", []string{"-session-idle", "90s"}, getenv, io.Discard, nil)
	require.ErrorContains(t, err, "session-idle: 1m30s is under the minimum of 5m0s")
	c, err = ParseConfig("serve", []string{"-session-idle", "5m"}, getenv, io.Discard, nil)
	require.NoError(t, err)
	require.Equal(t, 5*time.Minute, c.SessionIdle)
	_, err = ParseConfig("serve", []string{"stray"}, getenv, io.Discard, nil)
	require.ErrorContains(t, err, "unexpected arguments")
}
