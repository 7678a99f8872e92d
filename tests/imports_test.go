// Package tests holds suites that span modules: the architecture's import rules here, and
// cross-module end-to-end suites as modules arrive.
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

// mayImport is ARCHITECTURE.md's table: the modules each module may import (by root
// package only). A module missing from the table fails the test, so it stays current.
var mayImport = map[string][]string{
	"identity":     {},
	"tournament":   {},
	"wallet":       {},
	"registration": {"tournament", "wallet", "identity"},
	"match":        {"tournament", "registration"},
	"leaderboard":  {"match"},
}

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
		forEachImport(t, filepath.Join(root, "modules", mod), func(file, imp string) {
			rest, ok := strings.CutPrefix(imp, modulePath+"/modules/")
			if ok {
				other, sub, _ := strings.Cut(rest, "/")
				switch {
				case other == mod:
				case sub != "":
					t.Errorf("%s imports %s: only the root package of another module may be imported", file, imp)
				case !slices.Contains(allowed, other):
					t.Errorf("%s imports module %s; %s may import only %v", file, other, mod, allowed)
				}
			}
			if strings.HasPrefix(imp, "github.com/danielgtaylor/huma") && filepath.Base(file) != "http.go" {
				t.Errorf("%s imports huma; only a module's http.go may", file)
			}
		})
	}
}

// TestFoundationImportsNoModule keeps the root package on the standard library and the
// db package free of modules, so every module can depend on both. The root package may
// also import github.com/google/uuid: Caller's id is the uuid.UUID that every module and
// every generated query uses, so comparing it needs no conversion (and uuid imports only
// the standard library itself).
func TestFoundationImportsNoModule(t *testing.T) {
	forEachImport(t, "../db", func(file, imp string) {
		if strings.HasPrefix(imp, modulePath+"/modules") {
			t.Errorf("%s imports %s", file, imp)
		}
	})
	files, _ := filepath.Glob("../*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		for _, imp := range importsOf(t, f) {
			if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") && imp != "github.com/google/uuid" {
				t.Errorf("%s imports %s; package arena uses the standard library and github.com/google/uuid only", f, imp)
			}
		}
	}
}

// forEachImport calls fn for every import of every non-test Go file under dir.
func forEachImport(t *testing.T, dir string, fn func(file, imp string)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		for _, imp := range importsOf(t, path) {
			fn(path, imp)
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
