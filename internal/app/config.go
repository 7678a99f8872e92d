package app

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/arenaesports/arena/modules/identity"
)

// Config is everything Arena reads from flags and the environment. Flags win over
// environment variables, which win over defaults; the README's configuration table lists
// each setting's flag, variable and default.
type Config struct {
	DatabaseURL     string        // Postgres URL; empty starts the embedded cluster in DataDir
	DataDir         string        // where the embedded cluster keeps its data
	Addr            string        // HTTP listen address
	DBMaxConns      int           // pool size
	LogLevel        slog.Level    // the least severe level logged
	LogFormat       string        // "text" or "json"
	ShutdownTimeout time.Duration // grace for in-flight requests, then as much for running jobs
	DrainDelay      time.Duration // how long /readyz answers 503 before the listener closes

	TrustedProxies   []netip.Prefix // peers whose X-Forwarded-For is believed
	SessionIdle      time.Duration  // a session unused this long ends
	SessionLifetime  time.Duration  // every session ends this long after login
	AuthRateLimit    int            // login and register requests per minute per client address (0: off)
	MatchAutoConfirm time.Duration  // a result reported by one side only is confirmed after this long
	RatingTau        float64        // the Glicko-2 system constant
	RatingIdlePeriod time.Duration  // time without a rated tournament that widens a deviation by one empty period
	EventRetention   time.Duration  // how long the event log keeps events
	// WebhookAllowPrivate lets webhooks call plain http and loopback or private addresses
	// (development and tests).
	WebhookAllowPrivate bool

	// Now is the clock; only tests set it.
	Now func() time.Time
	// PayoutChunk is how many entries one payout job pays (0: payout.DefaultChunk); only
	// tests set it, to make a payout of many chunks from few entries.
	PayoutChunk int
	// WebhookRetries replaces the webhook retry schedule (nil: webhook.DefaultRetries);
	// only tests set it, to retry in milliseconds.
	WebhookRetries []time.Duration
}

// ParseConfig parses the flags of the command called name from args, each defaulting to
// its environment variable (read with getenv); the flag help, written to stderr on -h or
// a bad flag, names each variable. extra, when not nil, defines flags of the command's own.
func ParseConfig(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (Config, error) {
	c := Config{Now: time.Now}
	fs := flag.NewFlagSet("arena "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if extra != nil {
		extra(fs)
	}
	str := func(p *string, flagName, env, def, help string) {
		if v := getenv(env); v != "" {
			def = v
		}
		fs.StringVar(p, flagName, def, fmt.Sprintf("%s (env %s)", help, env))
	}
	str(&c.DatabaseURL, "database-url", "DATABASE_URL", "", "Postgres URL; empty starts the embedded cluster in the data dir")
	str(&c.DataDir, "data-dir", "ARENA_DATA_DIR", ".arena", "folder for the embedded Postgres cluster")
	str(&c.Addr, "addr", "ARENA_ADDR", "127.0.0.1:8080", "HTTP listen address")
	str(&c.LogFormat, "log-format", "ARENA_LOG_FORMAT", "text", "text or json")
	var logLevel, maxConns, shutdown, drain, proxies, idle, lifetime, authRate, autoConfirm, tau, ratingIdle, retention, private string
	str(&logLevel, "log-level", "ARENA_LOG_LEVEL", "info", "debug, info, warn or error")
	str(&maxConns, "db-max-conns", "ARENA_DB_MAX_CONNS", "16", "maximum database connections in the pool")
	str(&shutdown, "shutdown-timeout", "ARENA_SHUTDOWN_TIMEOUT", "30s", "how long in-flight requests and jobs get to finish on shutdown")
	str(&drain, "drain-delay", "ARENA_DRAIN_DELAY", "5s", "how long /readyz answers 503 on shutdown before the listener closes")
	str(&proxies, "trusted-proxies", "ARENA_TRUSTED_PROXIES", "", "comma-separated CIDRs of proxies whose X-Forwarded-For is believed")
	str(&idle, "session-idle", "ARENA_SESSION_IDLE", "168h", "a session unused this long ends")
	str(&lifetime, "session-lifetime", "ARENA_SESSION_LIFETIME", "720h", "every session ends this long after login")
	str(&authRate, "auth-rate-limit", "ARENA_AUTH_RATE_LIMIT", "30", "login and register requests per minute per client address (0: off)")
	str(&autoConfirm, "match-auto-confirm", "ARENA_MATCH_AUTO_CONFIRM", "24h", "a result reported by one side only is confirmed after this long")
	str(&tau, "rating-tau", "ARENA_RATING_TAU", "0.5", "Glicko-2 system constant: how fast volatility may change (0.3 to 1.2)")
	str(&ratingIdle, "rating-idle-period", "ARENA_RATING_IDLE_PERIOD", "720h", "time without a rated tournament that widens a rating's deviation by one empty period")
	str(&retention, "event-retention", "ARENA_EVENT_RETENTION", "2160h", "how long the event log keeps events (2160h: 90 days); older cursors answer 410")
	str(&private, "webhook-allow-private", "ARENA_WEBHOOK_ALLOW_PRIVATE", "false", "let webhooks call http:// and loopback or private addresses (development and tests only)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var err error
	if c.DBMaxConns, err = strconv.Atoi(maxConns); err != nil || c.DBMaxConns < 1 {
		return c, fmt.Errorf("db-max-conns: %q is not a positive number", maxConns)
	}
	if c.ShutdownTimeout, err = time.ParseDuration(shutdown); err != nil || c.ShutdownTimeout <= 0 {
		return c, fmt.Errorf("shutdown-timeout: %q is not a positive duration", shutdown)
	}
	if c.DrainDelay, err = time.ParseDuration(drain); err != nil || c.DrainDelay < 0 {
		return c, fmt.Errorf("drain-delay: %q is not a duration of 0 or more", drain)
	}
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			return c, fmt.Errorf("trusted-proxies: %q is not a CIDR", p)
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix)
	}
	if c.SessionIdle, err = time.ParseDuration(idle); err != nil || c.SessionIdle <= 0 {
		return c, fmt.Errorf("session-idle: %q is not a positive duration", idle)
	}
	if c.SessionIdle < identity.MinSessionIdle {
		return c, fmt.Errorf("session-idle: %s is under the minimum of %s: a session's last use is recorded "+
			"at most once a minute, so a shorter idle timeout would end sessions still in use", c.SessionIdle, identity.MinSessionIdle)
	}
	if c.SessionLifetime, err = time.ParseDuration(lifetime); err != nil || c.SessionLifetime <= 0 {
		return c, fmt.Errorf("session-lifetime: %q is not a positive duration", lifetime)
	}
	if c.MatchAutoConfirm, err = time.ParseDuration(autoConfirm); err != nil || c.MatchAutoConfirm <= 0 {
		return c, fmt.Errorf("match-auto-confirm: %q is not a positive duration", autoConfirm)
	}
	if c.RatingTau, err = strconv.ParseFloat(tau, 64); err != nil || c.RatingTau < 0.1 || c.RatingTau > 3 {
		return c, fmt.Errorf("rating-tau: %q is not a number from 0.1 to 3", tau)
	}
	if c.RatingIdlePeriod, err = time.ParseDuration(ratingIdle); err != nil || c.RatingIdlePeriod <= 0 {
		return c, fmt.Errorf("rating-idle-period: %q is not a positive duration", ratingIdle)
	}
	if c.EventRetention, err = time.ParseDuration(retention); err != nil || c.EventRetention < time.Hour {
		return c, fmt.Errorf("event-retention: %q is not a duration of an hour or more", retention)
	}
	if c.WebhookAllowPrivate, err = strconv.ParseBool(private); err != nil {
		return c, fmt.Errorf("webhook-allow-private: %q is not true or false", private)
	}
	if c.AuthRateLimit, err = strconv.Atoi(authRate); err != nil || c.AuthRateLimit < 0 {
		return c, fmt.Errorf("auth-rate-limit: %q is not a number ≥ 0", authRate)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("log-format: %q is not text or json", c.LogFormat)
	}
	if err := c.LogLevel.UnmarshalText([]byte(logLevel)); err != nil {
		return c, fmt.Errorf("log-level: %q is not debug, info, warn or error", logLevel)
	}
	return c, nil
}

// DefaultConfig is the configuration with no flags and an empty environment: what the
// OpenAPI document is built from, and where tests start.
func DefaultConfig() Config {
	c, err := ParseConfig("", nil, func(string) string { return "" }, io.Discard, nil)
	if err != nil {
		panic(err) // the defaults are constants; failing to parse them is a bug
	}
	return c
}

// Logger is a logger writing to w at the configured level, in the configured format.
func (c Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
