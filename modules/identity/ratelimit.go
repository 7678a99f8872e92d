package identity

import (
	"net/netip"
	"sync"
	"time"
)

// RateLimiter allows each client address a steady rate of requests with a burst on top
// (GCRA: one "theoretical arrival time" per address). It is the second line of defence
// on the unauthenticated auth endpoints, behind the per-account lockout; it lives in this
// process only, so N instances allow N times the rate.
type RateLimiter struct {
	mu       sync.Mutex
	interval time.Duration // time one request "costs"
	slack    time.Duration // burst × interval
	tat      map[netip.Addr]time.Time
	now      func() time.Time
}

// sweepAt is the table size that triggers dropping addresses that are back to a full burst.
const sweepAt = 50_000

// NewRateLimiter allows perMinute requests a minute per address, in bursts of up to burst.
// perMinute ≤ 0 disables limiting.
func NewRateLimiter(perMinute, burst int, now func() time.Time) *RateLimiter {
	if perMinute <= 0 {
		return nil
	}
	interval := time.Minute / time.Duration(perMinute)
	return &RateLimiter{interval: interval, slack: time.Duration(max(burst, 1)) * interval,
		tat: map[netip.Addr]time.Time{}, now: now}
}

// allow reports whether a request from ip may proceed and, if not, when to retry.
func (l *RateLimiter) allow(ip netip.Addr) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	tat := l.tat[ip]
	if tat.Before(now) {
		tat = now
	}
	if wait := tat.Add(l.interval).Sub(now) - l.slack; wait > 0 {
		return false, wait
	}
	l.tat[ip] = tat.Add(l.interval)
	if len(l.tat) >= sweepAt {
		for k, v := range l.tat {
			if v.Before(now) {
				delete(l.tat, k)
			}
		}
	}
	return true, 0
}
