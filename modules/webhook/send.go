package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/arenaesports/arena"
)

const (
	// sendTimeout is how long a receiver has to answer 2xx.
	sendTimeout = 10 * time.Second
	// responseLimit is how much of a response is read; excerptLimit how much is kept.
	responseLimit, excerptLimit = 64 << 10, 256
)

// errBlocked is a target address Arena refuses to call.
var errBlocked = errors.New("address not allowed")

// newClient is the HTTP client that delivers: it follows no redirect, uses no proxy, and —
// unless allowPrivate — dials no loopback, private, link-local or otherwise internal
// address, checked on the address it resolved, at the moment it connects (so a name that
// resolves elsewhere later cannot smuggle a request inside).
func newClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !public(ap.Addr()) {
			return errBlocked
		}
		return nil
	}}
	return &http.Client{
		Timeout:       sendTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{DialContext: dialer.DialContext, ForceAttemptHTTP2: true, MaxIdleConnsPerHost: 4,
			TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: sendTimeout, IdleConnTimeout: 90 * time.Second},
	}
}

// public reports whether a is an address on the public internet.
func public(a netip.Addr) bool {
	a = a.Unmap()
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	return a.IsGlobalUnicast() && !a.IsPrivate() && !cgnat.Contains(a) && !a.IsLoopback() && !a.IsLinkLocalUnicast()
}

// checkURL validates an endpoint's URL: absolute https (plain http too when private targets
// are allowed, for development), with a host and no credentials. Errors: EINVALID.
func checkURL(raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Hostname() == "":
		return arena.Errorf(arena.EINVALID, "The url must be an absolute https URL.")
	case u.Scheme != "https" && !(allowPrivate && u.Scheme == "http"):
		return arena.Errorf(arena.EINVALID, "The url must use https.")
	case u.User != nil:
		return arena.Errorf(arena.EINVALID, "The url must not carry credentials; authenticate with the signature.")
	case u.Fragment != "":
		return arena.Errorf(arena.EINVALID, "The url must not have a fragment.")
	}
	if a, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && !allowPrivate && !public(a) {
		return arena.Errorf(arena.EINVALID, "The url's address is not on the public internet.")
	}
	return nil
}

// outcome is what one attempt came to.
type outcome struct {
	ok       bool
	status   *int32
	latency  time.Duration
	err      string // why there was no response, in a few words
	response string // the start of the response body
}

// send posts body to url, signed with the endpoint's secrets, as the Standard Webhooks
// scheme says: webhook-id, webhook-timestamp and webhook-signature (one v1 signature per
// secret, space-separated).
func (s *Service) send(ctx context.Context, url, id string, body []byte, secrets []string) outcome {
	ts := s.now().Unix()
	var sigs []string
	for _, secret := range secrets {
		sig, err := signature(secret, id, ts, body)
		if err != nil {
			return outcome{err: "the signing secret is unreadable"}
		}
		sigs = append(sigs, sig)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return outcome{err: "the url cannot be requested"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Arena-Webhooks/1")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", strings.Join(sigs, " "))
	start := time.Now()
	resp, err := s.client.Do(req)
	out := outcome{latency: time.Since(start)}
	if err != nil {
		out.err = failure(err)
		return out
	}
	defer func() { _ = resp.Body.Close() }()
	excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, responseLimit))
	out.latency = time.Since(start)
	code := int32(resp.StatusCode)
	out.status, out.ok = &code, resp.StatusCode >= 200 && resp.StatusCode < 300
	out.response = strings.ToValidUTF8(string(excerpt[:min(len(excerpt), excerptLimit)]), "")
	return out
}

// failure names why a request got no response, without the transport's internals.
func failure(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, errBlocked):
		return "the address is not on the public internet"
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("no answer within %s", sendTimeout)
	case strings.Contains(err.Error(), "no such host"):
		return "the host name does not resolve"
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		return "the TLS handshake failed"
	}
	return "the connection failed"
}
