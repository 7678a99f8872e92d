package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// config is everything a command reads from flags and the environment. Flags win over
// environment variables, which win over defaults.
type config struct {
	databaseURL string
	dataDir     string
	addr        string
	maxConns    int
	logLevel    string
	logFormat   string
	shutdown    time.Duration

	trustedProxies  []netip.Prefix
	sessionIdle     time.Duration
	sessionLifetime time.Duration
	authPerMinute   int
	autoConfirm     time.Duration
	ratingTau       float64
	ratingIdle      time.Duration

	// now is the clock; only tests set it.
	now func() time.Time
}

// parseConfig parses args for the command name; the flag help names each variable.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	return parseConfigWith(name, args, getenv, stderr, nil)
}

// parseConfigWith is parseConfig for a command with flags of its own, which extra defines.
func parseConfigWith(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config, error) {
	c := config{now: time.Now}
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
	str(&c.databaseURL, "database-url", "DATABASE_URL", "", "Postgres URL; empty starts the embedded cluster in the data dir")
	str(&c.dataDir, "data-dir", "ARENA_DATA_DIR", ".arena", "folder for the embedded Postgres cluster")
	str(&c.addr, "addr", "ARENA_ADDR", "127.0.0.1:8080", "HTTP listen address")
	str(&c.logLevel, "log-level", "ARENA_LOG_LEVEL", "info", "debug, info, warn or error")
	str(&c.logFormat, "log-format", "ARENA_LOG_FORMAT", "text", "text or json")
	var maxConns, shutdown, proxies, idle, lifetime, authRate, autoConfirm, tau, ratingIdle string
	str(&maxConns, "db-max-conns", "ARENA_DB_MAX_CONNS", "16", "maximum database connections in the pool")
	str(&shutdown, "shutdown-timeout", "ARENA_SHUTDOWN_TIMEOUT", "30s", "how long in-flight requests and jobs get to finish on shutdown")
	str(&proxies, "trusted-proxies", "ARENA_TRUSTED_PROXIES", "", "comma-separated CIDRs of proxies whose X-Forwarded-For is believed")
	str(&idle, "session-idle", "ARENA_SESSION_IDLE", "168h", "a session unused this long ends")
	str(&lifetime, "session-lifetime", "ARENA_SESSION_LIFETIME", "720h", "every session ends this long after login")
	str(&authRate, "auth-rate-limit", "ARENA_AUTH_RATE_LIMIT", "30", "login and register requests per minute per client address (0: off)")
	str(&autoConfirm, "match-auto-confirm", "ARENA_MATCH_AUTO_CONFIRM", "24h", "a result reported by one side only is confirmed after this long")
	str(&tau, "rating-tau", "ARENA_RATING_TAU", "0.5", "Glicko-2 system constant: how fast volatility may change (0.3 to 1.2)")
	str(&ratingIdle, "rating-idle-period", "ARENA_RATING_IDLE_PERIOD", "720h", "time without a rated tournament that widens a rating's deviation by one empty period")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var err error
	if c.maxConns, err = strconv.Atoi(maxConns); err != nil || c.maxConns < 1 {
		return c, fmt.Errorf("db-max-conns: %q is not a positive number", maxConns)
	}
	if c.shutdown, err = time.ParseDuration(shutdown); err != nil || c.shutdown <= 0 {
		return c, fmt.Errorf("shutdown-timeout: %q is not a positive duration", shutdown)
	}
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			return c, fmt.Errorf("trusted-proxies: %q is not a CIDR", p)
		}
		c.trustedProxies = append(c.trustedProxies, prefix)
	}
	if c.sessionIdle, err = time.ParseDuration(idle); err != nil || c.sessionIdle <= 0 {
		return c, fmt.Errorf("session-idle: %q is not a positive duration", idle)
	}
	if c.sessionLifetime, err = time.ParseDuration(lifetime); err != nil || c.sessionLifetime <= 0 {
		return c, fmt.Errorf("session-lifetime: %q is not a positive duration", lifetime)
	}
	if c.autoConfirm, err = time.ParseDuration(autoConfirm); err != nil || c.autoConfirm <= 0 {
		return c, fmt.Errorf("match-auto-confirm: %q is not a positive duration", autoConfirm)
	}
	if c.ratingTau, err = strconv.ParseFloat(tau, 64); err != nil || c.ratingTau < 0.1 || c.ratingTau > 3 {
		return c, fmt.Errorf("rating-tau: %q is not a number from 0.1 to 3", tau)
	}
	if c.ratingIdle, err = time.ParseDuration(ratingIdle); err != nil || c.ratingIdle <= 0 {
		return c, fmt.Errorf("rating-idle-period: %q is not a positive duration", ratingIdle)
	}
	if c.authPerMinute, err = strconv.Atoi(authRate); err != nil || c.authPerMinute < 0 {
		return c, fmt.Errorf("auth-rate-limit: %q is not a number ≥ 0", authRate)
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return c, fmt.Errorf("log-format: %q is not text or json", c.logFormat)
	}
	if _, err := c.level(); err != nil {
		return c, err
	}
	return c, nil
}

func (c config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.logLevel)); err != nil {
		return l, fmt.Errorf("log-level: %q is not debug, info, warn or error", c.logLevel)
	}
	return l, nil
}

func (c config) logger(w io.Writer) *slog.Logger {
	level, _ := c.level()
	opts := &slog.HandlerOptions{Level: level}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
