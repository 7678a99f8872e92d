package main

import (
	"flag"
	"io"

	"github.com/arenaesports/arena/internal/app"
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
	b, err := app.OpenAPI(*spec)
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
