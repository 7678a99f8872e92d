package app

import (
	"fmt"
	"log/slog"

	"github.com/danielgtaylor/huma/v2"
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

// completeDocument states in the document what the wiring guarantees for every operation,
// so that generated clients can rely on it:
//   - every operation that needs a session answers 401 (a problem) without one: the
//     authentication middleware does, before the operation runs;
//   - Idempotency-Key is required where it is read: the money-moving operations answer 400
//     without it (wallet.Idempotent), a check the document could not show as optional;
//   - a GET that reads If-None-Match answers 304 when the client's copy is current;
//   - a server to send requests to: `arena serve`'s default address.
func completeDocument(oapi *huma.OpenAPI) {
	oapi.Servers = []*huma.Server{{URL: "http://127.0.0.1:8080", Description: "`arena serve` on its default address"}}
	problem := &huma.MediaType{Schema: &huma.Schema{Ref: "#/components/schemas/Problem"}}
	for _, item := range oapi.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch} {
			if op == nil {
				continue
			}
			if _, ok := op.Responses["401"]; !ok && len(op.Security) > 0 {
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
