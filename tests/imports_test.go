// Package tests holds suites that span modules: the architecture's import rules and the
// agreement of constants, API enums and database CHECKs here, and cross-module end-to-end
// suites.
package tests

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const modulePath = "github.com/arenaesports/arena"

// mayImport is docs/architecture.md's table: the modules each module may import (by root
// package only). A module missing from the table fails the test, so it stays current.
var mayImport = map[string][]string{
	"events":       {},
	"identity":     {"events"},
	"tournament":   {"events"},
	"wallet":       {"events"},
	"registration": {"events", "tournament", "wallet", "identity"},
	"match":        {"events", "tournament", "registration"},
	"leaderboard":  {"events", "match"},
	"payout":       {"events", "match", "wallet", "tournament", "registration"},
	"webhook":      {"events", "tournament"},
}

// TestModuleImportRules checks what modules import of this repository: their own packages,
// the root package, db, and other modules' root packages as the table allows — nothing else,
// so never the application's wiring (internal/app) or a command (cmd/…), whether or not those
// exist yet. Test files may also use db/dbtest, and never the wiring or a command either.
func TestModuleImportRules(t *testing.T) {
	root := ".."
	entries, err := os.ReadDir(filepath.Join(root, "modules"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		mod := e.Name()
		allowed, known := mayImport[mod]
		if !known {
			t.Errorf("module %q is not in the import table; add it with the modules it may import", mod)
			continue
		}
		forEachImport(t, filepath.Join(root, "modules", mod), func(file, imp string, test bool) {
			if test {
				if underAny(imp, modulePath+"/internal", modulePath+"/cmd") {
					t.Errorf("%s imports %s: the wiring and the commands build on modules, not the other way", file, imp)
				}
				return
			}
			rest, isModule := strings.CutPrefix(imp, modulePath+"/modules/")
			switch {
			case isModule:
				other, sub, _ := strings.Cut(rest, "/")
				switch {
				case other == mod:
				case sub != "":
					t.Errorf("%s imports %s: only the root package of another module may be imported", file, imp)
				case !slices.Contains(allowed, other):
					t.Errorf("%s imports module %s; %s may import only %v", file, other, mod, allowed)
				}
			case underAny(imp, modulePath) && imp != modulePath && imp != modulePath+"/db":
				t.Errorf("%s imports %s; a module imports of this repository only modules, the root package and db", file, imp)
			}
			if strings.HasPrefix(imp, "github.com/danielgtaylor/huma") && filepath.Base(file) != "http.go" {
				t.Errorf("%s imports huma; only a module's http.go may", file)
			}
		})
	}
}

// dbMayImport is all that the db packages need beyond the standard library: the driver,
// migrations (goose, and River's own), the id type and the error type; db/dbtest adds the
// test database servers and River's client, to run and await a test's jobs. Anything else there would be weight every module carries.
var dbMayImport = map[string][]string{
	"db": {modulePath, "github.com/google/uuid", "github.com/jackc/pgx/v5", "github.com/pressly/goose/v3",
		"github.com/riverqueue/river/riverdriver/riverpgxv5", "github.com/riverqueue/river/rivermigrate"},
	"db/dbtest": {modulePath + "/db", "github.com/jackc/pgx/v5", "github.com/peterldowns/pgtestdb",
		"github.com/testcontainers/testcontainers-go", "github.com/riverqueue/river"},
}

// TestFoundationImports keeps the packages every module depends on small: db imports no
// module and only what dbMayImport lists; the root package imports the standard library and
// github.com/google/uuid — Caller's id is the uuid.UUID that every module and every
// generated query uses, so comparing it needs no conversion (and uuid imports only the
// standard library itself).
func TestFoundationImports(t *testing.T) {
	forEachImport(t, "../db", func(file, imp string, test bool) {
		if underAny(imp, modulePath+"/modules", modulePath+"/internal", modulePath+"/cmd") {
			t.Errorf("%s imports %s; db imports no module, nor the wiring", file, imp)
		}
		dir, _ := filepath.Rel("..", filepath.Dir(file))
		if allowed, ok := dbMayImport[filepath.ToSlash(dir)]; !test && (!ok || !stdlib(imp) && !underAny(imp, allowed...)) {
			t.Errorf("%s imports %s; %s may import the standard library and %v only", file, imp, dir, allowed)
		}
	})
	files, _ := filepath.Glob("../*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		for _, imp := range importsOf(t, f) {
			if !stdlib(imp) && imp != "github.com/google/uuid" {
				t.Errorf("%s imports %s; package arena uses the standard library and github.com/google/uuid only", f, imp)
			}
		}
	}
}

// stdlib reports whether imp is a standard library package (no dot in its first element).
func stdlib(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

// underAny reports whether imp is one of the packages or below one of them.
func underAny(imp string, pkgs ...string) bool {
	return slices.ContainsFunc(pkgs, func(p string) bool { return imp == p || strings.HasPrefix(imp, p+"/") })
}

// forEachImport calls fn for every import of every Go file under dir, saying whether the
// file is a test.
func forEachImport(t *testing.T, dir string, fn func(file, imp string, test bool)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		for _, imp := range importsOf(t, path) {
			fn(path, imp, strings.HasSuffix(path, "_test.go"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func importsOf(t *testing.T, file string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range f.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		out = append(out, p)
	}
	return out
}
