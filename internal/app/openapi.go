package app

import (
	"fmt"
	"log/slog"
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
