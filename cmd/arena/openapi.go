package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
)

// printOpenAPI writes the OpenAPI document the code describes: 3.1 (huma's native form)
// or 3.0 (for generators that do not read 3.1 yet).
func printOpenAPI(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("arena openapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "3.1", "OpenAPI version to print: 3.1 or 3.0")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := openAPIDocument(*spec)
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}

func openAPIDocument(spec string) ([]byte, error) {
	cfg, err := parseConfig("openapi", nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		return nil, err
	}
	a := newApp(nil, cfg, slog.New(slog.DiscardHandler))
	switch spec {
	case "3.1":
		return a.api.OpenAPI().YAML()
	case "3.0":
		return a.api.OpenAPI().DowngradeYAML()
	default:
		return nil, fmt.Errorf("unknown -spec %q: use 3.1 or 3.0", spec)
	}
}
