package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
)

// apiVersion is the version published in the OpenAPI document.
const apiVersion = "0.1.0"

// maxBodyBytes bounds every request body; huma answers 413 beyond it.
const maxBodyBytes = 1 << 20

// newAPI creates the huma API on mux with Arena's problem responses and without huma's
// `$schema` response field, which would leak into every generated SDK model.
func newAPI(mux *http.ServeMux) huma.API {
	installProblems()
	huma.DefaultArrayNullable = false // arrays are sent as [] when empty (marshalJSON), never null
	cfg := huma.DefaultConfig("Arena", apiVersion)
	cfg.Info.Description = "Arena runs esports tournaments: games, tournaments, teams, paid registration, " +
		"a wallet, brackets, leaderboards, payouts and notifications."
	cfg.CreateHooks = nil // the hook that adds `$schema` links to responses
	cfg.SchemasPath = ""  // and the schema files those links would point at
	cfg.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaName)
	// Ids are UUIDs wherever they appear, as they are in paths: generated clients type them so.
	cfg.Components.Schemas.RegisterTypeAlias(reflect.TypeFor[uuid.UUID](), reflect.TypeFor[uuidSchema]())
	cfg.Formats = map[string]huma.Format{"application/json": jsonFormat, "json": jsonFormat}
	return humago.New(mux, cfg)
}

// uuidSchema stands for uuid.UUID in the document: a string of format uuid.
type uuidSchema string

// Schema implements huma.SchemaProvider.
func (uuidSchema) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "uuid"}
}

// Problem is an RFC 9457 problem document with Arena's machine-readable code.
type Problem struct {
	Type   string        `json:"type,omitempty" doc:"A URI reference identifying the problem type; about:blank when absent."`
	Title  string        `json:"title" doc:"Short summary of the problem type."`
	Status int           `json:"status,omitempty" doc:"HTTP status code."`
	Detail string        `json:"detail,omitempty" doc:"Explanation of this occurrence, safe to show to a user."`
	Code   string        `json:"code,omitempty" enum:"invalid,unauthorized,forbidden,not_found,conflict,rate_limited,gone,unavailable,internal,idempotency_key_reused" doc:"Stable machine-readable error code."`
	Errors []*FieldError `json:"errors,omitempty" doc:"Individual validation errors."`
}

// FieldError locates one invalid part of a request.
type FieldError struct {
	Message  string `json:"message" doc:"What is wrong."`
	Location string `json:"location,omitempty" doc:"Where, e.g. body.handle or query.limit."`
}

// Error is the problem's detail, so a Problem is an error huma can return.
func (p *Problem) Error() string { return p.Detail }

// GetStatus is the problem's HTTP status (huma.StatusError).
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes JSON problems application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

var codeStatus = map[string]int{
	arena.EINVALID:      http.StatusUnprocessableEntity,
	arena.EUNAUTHORIZED: http.StatusUnauthorized,
	arena.EFORBIDDEN:    http.StatusForbidden,
	arena.ENOTFOUND:     http.StatusNotFound,
	arena.ECONFLICT:     http.StatusConflict,
	arena.ERATELIMITED:  http.StatusTooManyRequests,
	arena.EGONE:         http.StatusGone,
	arena.EUNAVAILABLE:  http.StatusServiceUnavailable,
	arena.EINTERNAL:     http.StatusInternalServerError,
	arena.EKEYREUSED:    http.StatusUnprocessableEntity,
}

// codeForStatus names the code of a problem huma or the router raised on its own.
func codeForStatus(status int) string {
	for code, s := range codeStatus {
		if s == status && code != arena.EKEYREUSED { // only the wallet raises that one, by name
			return code
		}
	}
	if status >= 400 && status < 500 {
		return arena.EINVALID
	}
	return arena.EINTERNAL
}

var installOnce sync.Once

// installProblems replaces huma's error constructors, which are package globals, so that
// every error — validation, routing, handler — becomes a Problem. An *arena.Error becomes
// its code's status and message; any other handler error is logged with the request id and
// answered as a bare 500, because its text may hold SQL or internals. It also makes huma's
// validator match keys case-sensitively, another package global.
func installProblems() {
	installOnce.Do(func() {
		// Keys match fields exactly: with huma's default the validator accepts "Amount" for
		// "amount" and Go's decoder then fills the field from whichever came last.
		huma.ValidateStrictCasing = true
		huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
			return newProblem(context.Background(), status, msg, errs...)
		}
		huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
			ctx := context.Background()
			if hctx != nil {
				ctx = hctx.Context()
			}
			return newProblem(ctx, status, msg, errs...)
		}
	})
}

func newProblem(ctx context.Context, status int, msg string, errs ...error) *Problem {
	if status == http.StatusInternalServerError {
		for _, err := range errs {
			var ae *arena.Error
			if errors.As(err, &ae) && ae.Code != arena.EINTERNAL {
				return problemFor(codeStatus[ae.Code], ae.Code, ae.Message)
			}
		}
		err := errors.Join(errs...)
		if db.Unreachable(err) {
			requestLogger(ctx).Warn("database unreachable", "err", err)
			return problemFor(http.StatusServiceUnavailable, arena.EUNAVAILABLE, "The database is not reachable; try again shortly.")
		}
		requestLogger(ctx).Error("internal error", "err", err)
		return problemFor(http.StatusInternalServerError, arena.EINTERNAL, "")
	}
	p := problemFor(status, codeForStatus(status), msg)
	for _, err := range errs {
		// huma's validation details describe the client's input; their Value (which may
		// be a password) is not echoed back.
		var d huma.ErrorDetailer
		if errors.As(err, &d) {
			detail := d.ErrorDetail()
			p.Errors = append(p.Errors, &FieldError{Message: detail.Message, Location: detail.Location})
		}
	}
	return p
}

func problemFor(status int, code, detail string) *Problem {
	return &Problem{Title: http.StatusText(status), Status: status, Detail: detail, Code: code}
}

// routeProblems turns the router's own plain-text answers (404 for an unknown path, 405
// for a wrong method) into problem documents; routed requests pass straight through.
func routeProblems(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &headerRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		status := rec.status
		if status == 0 {
			status = http.StatusNotFound
		}
		detail := "No such endpoint."
		if status == http.StatusMethodNotAllowed {
			detail = "The endpoint does not support this method."
		}
		writeProblem(w, problemFor(status, codeForStatus(status), detail))
	})
}

// headerRecorder keeps the status and headers of a router answer and drops its body.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(status int)      { h.status = status }

func writeProblem(w http.ResponseWriter, p *Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

type ctxKey int

const loggerKey ctxKey = iota

// requestLogger returns the request-scoped logger (it carries the request id).
func requestLogger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// middleware wraps the router with, outermost first: request id and request logger, one
// access-log line per request, panic recovery, the body size limit, and the refusal of
// unsafe input (input.go; headers are the request headers the operations read).
func middleware(next http.Handler, base *slog.Logger, trusted []netip.Prefix, headers []string) http.Handler {
	next = http.MaxBytesHandler(refuseUnsafeInput(next, headers), maxBodyBytes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r.Header.Get("X-Request-Id"))
		w.Header().Set("X-Request-Id", id)
		l := base.With("request_id", id)
		ip := clientIP(r, trusted)
		ctx := arena.WithClientIP(context.WithValue(r.Context(), loggerKey, l), ip)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				l.Error("panic", "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeProblem(sw, problemFor(http.StatusInternalServerError, arena.EINTERNAL, ""))
				}
			}
			l.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"bytes", sw.bytes, "duration", time.Since(start), "client_ip", ip.String())
		}()
		next.ServeHTTP(sw, r)
	})
}

// clientIP is the socket's peer, unless the peer is a trusted proxy: then it is the
// right-most X-Forwarded-For address that is not itself a trusted proxy. Headers from
// anyone else are ignored, or a client could choose its own address and dodge per-address
// limits.
func clientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	ip := peer.Addr().Unmap()
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	if !isTrusted(ip) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return ip // a malformed hop: stop believing the header at the last good one
		}
		ip = hop.Unmap()
		if !isTrusted(ip) {
			return ip
		}
	}
	return ip
}

// requestID accepts a caller's id when it is short and plain (so it cannot forge log
// lines) and otherwise makes one.
func requestID(given string) string {
	if len(given) > 0 && len(given) <= 64 {
		ok := true
		for _, c := range given {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				ok = false
				break
			}
		}
		if ok {
			return given
		}
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter records the status and size of a response for the access log. Unwrap
// lets http.ResponseController reach the underlying writer (flushing for streams).
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
