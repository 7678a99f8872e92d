package app

import (
	"fmt"
	"log/slog"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/arenaesports/arena/modules/identity"
)

// OpenAPI is the OpenAPI document the code describes, in YAML: spec "3.1" (huma's native
// form) or "3.0" (for generators that do not read 3.1 yet). openapi/ holds both, committed.
func OpenAPI(spec string) ([]byte, error) {
	a := New(nil, DefaultConfig(), slog.New(slog.DiscardHandler))
	switch spec {
	case "3.1":
		return a.api.OpenAPI().YAML()
	case "3.0":
		return a.api.OpenAPI().DowngradeYAML()
	default:
		return nil, fmt.Errorf("unknown -spec %q: use 3.1 or 3.0", spec)
	}
}

// sessionless are the operations a session makes no difference to.
var sessionless = []string{"register-user", "login", "get-health", "get-readiness"}

// completeDocument states in the document what the wiring guarantees for every operation,
// so that generated clients can rely on it:
//   - every operation that needs a session answers 401 (a problem) without one: the
//     authentication middleware does, before the operation runs;
//   - Idempotency-Key is required where it is read: the money-moving operations answer 400
//     without it (wallet.Idempotent), a check the document could not show as optional;
//   - a GET that reads If-None-Match answers 304 when the client's copy is current;
//   - an operation with parameters or a body answers 422 (a problem) when huma's
//     validation refuses them, and any operation may answer another problem (default);
//   - an operation open to anonymous callers says so: an empty security requirement, beside
//     the bearer scheme where a session changes what it answers (login, register and the
//     probes ignore one);
//   - a server to send requests to: `arena serve`'s default address.
func completeDocument(oapi *huma.OpenAPI) {
	oapi.Servers = []*huma.Server{{URL: "http://127.0.0.1:8080", Description: "`arena serve` on its default address"}}
	problem := &huma.MediaType{Schema: &huma.Schema{Ref: "#/components/schemas/Problem"}}
	for _, item := range oapi.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch} {
			if op == nil {
				continue
			}
			if len(op.Security) == 0 {
				op.Security = []map[string][]string{{}, {identity.SecurityScheme: {}}}
				if slices.Contains(sessionless, op.OperationID) {
					op.Security = []map[string][]string{{}}
				}
			}
			if _, ok := op.Responses["422"]; !ok && (len(op.Parameters) > 0 || op.RequestBody != nil) {
				op.Responses["422"] = &huma.Response{Description: "The parameters or the body break a rule of the input.",
					Content: map[string]*huma.MediaType{"application/problem+json": problem}}
			}
			if _, ok := op.Responses["default"]; !ok {
				op.Responses["default"] = &huma.Response{Description: "Any other failure, as a problem document.",
					Content: map[string]*huma.MediaType{"application/problem+json": problem}}
			}
			if _, ok := op.Responses["401"]; !ok && identity.RequiresSession(op.Security) {
				op.Responses["401"] = &huma.Response{Description: "No valid session: log in and send its bearer token.",
					Content: map[string]*huma.MediaType{"application/problem+json": problem}}
			}
			for _, p := range op.Parameters {
				if p.In == "header" && p.Name == "Idempotency-Key" {
					p.Required = true
				}
				if p.In == "header" && p.Name == "If-None-Match" && op.Responses["304"] == nil {
					op.Responses["304"] = &huma.Response{Description: "Not modified: the copy If-None-Match names is current."}
				}
			}
		}
	}
}
