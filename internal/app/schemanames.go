package app

import (
	"reflect"
	"strings"
	"unicode"

	"github.com/danielgtaylor/huma/v2"
)

// schemaName names the OpenAPI schemas of Arena's types for the SDKs generated from the
// document. A named Go type keeps its name (huma's default). An unnamed body gets a name
// from huma's hint that carries no framework artefact and collides with nothing a client
// generator makes of an operation: oapi-codegen, for one, declares <OperationId>Response
// itself, so a response body is <Operation>Result, a request body <Operation>Request.
//
//	GamesOutputBody (the Body of GamesOutput)     → GamesResult
//	RegisterInputBody                             → RegisterRequest
//	list-seasonsResponse (an inline output type)  → ListSeasonsResult
//	forfeit-matchRequest                          → ForfeitMatchRequest
//	BracketBodySeedingStruct (a nested struct)    → BracketBodySeeding (Bracket's own seeding
//	                                                 enum is BracketSeeding in a client)
func schemaName(t reflect.Type, hint string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() != "" || hint == "" {
		return huma.DefaultSchemaNamer(t, hint)
	}
	for _, r := range []struct{ suffix, with string }{
		{"OutputBody", "Result"}, {"InputBody", "Request"}, {"Response", "Result"}, {"Request", "Request"},
	} {
		if base, ok := strings.CutSuffix(hint, r.suffix); ok {
			return camel(base) + r.with
		}
	}
	if base, ok := strings.CutSuffix(hint, "Struct"); ok {
		return camel(base)
	}
	return camel(hint)
}

// camel turns kebab-case into CamelCase and upper-cases the first letter.
func camel(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case r == '-' || r == '_':
			upper = true
		case upper:
			b.WriteRune(unicode.ToUpper(r))
			upper = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
