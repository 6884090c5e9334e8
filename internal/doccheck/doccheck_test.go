package doccheck

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// root is the module's root, from this package's directory.
const root = "../.."

// exempt are the packages with no Example of their own, and why.
var exempt = map[string]string{
	"internal/doccheck":    "this check: no code",
	"internal/entrytest":   "test helper",
	"internal/bodytest":    "test helper",
	"mip/miptest":          "test helper",
	"protocol/prototest":   "test helper",
	"vault/vaulttest":      "test helper (its snippet is a test function)",
	"cmd/mycel/internal/*": "the CLI's own packages, not importable from outside it",
}

// pkg is one package directory of the module.
type pkg struct {
	dir      string // relative to root, slash-separated
	name     string
	doc      *ast.File   // doc.go, if any
	examples []*ast.File // example_test.go
}

// packages lists the module's packages that are not package main.
func packages(t *testing.T) []pkg {
	t.Helper()
	var out []pkg
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			return nil
		}
		p, ok := load(t, path)
		if ok {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// load parses the package in dir: ok is false when dir holds no Go
// package or package main.
func load(t *testing.T, dir string) (p pkg, ok bool) {
	t.Helper()
	rel, _ := filepath.Rel(root, dir)
	p.dir = filepath.ToSlash(rel)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") {
			continue
		}
		test := strings.HasSuffix(name, "_test.go")
		if test && name != "example_test.go" {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case test:
			p.examples = append(p.examples, f)
		case f.Name.Name == "main":
			return p, false
		default:
			p.name = f.Name.Name
			if name == "doc.go" {
				p.doc = f
			}
		}
	}
	return p, p.name != ""
}

func exempted(dir string) bool {
	for k := range exempt {
		if k == dir || strings.HasSuffix(k, "/*") && strings.HasPrefix(dir, strings.TrimSuffix(k, "*")) {
			return true
		}
	}
	return false
}

func TestEveryPackageHasExample(t *testing.T) {
	for _, p := range packages(t) {
		if exempted(p.dir) {
			continue
		}
		runs := slices.ContainsFunc(doc.Examples(p.examples...), func(e *doc.Example) bool {
			return e.Output != "" || e.EmptyOutput
		})
		if !runs {
			t.Errorf("%s: no Example with an // Output: comment in example_test.go", p.dir)
		}
	}
}

func TestSnippetCallsRun(t *testing.T) {
	for _, p := range packages(t) {
		if p.doc == nil || exempted(p.dir) {
			continue
		}
		ran := map[string]bool{}
		for _, f := range p.examples {
			for _, c := range calls(f) {
				ran[c] = true
			}
		}
		for _, block := range snippets(p.doc) {
			f, ok := parseSnippet(block)
			if !ok {
				continue // not Go: a shell session, a formula
			}
			for _, c := range calls(f) {
				if !ran[c] {
					t.Errorf("%s/doc.go uses %s, which its example_test.go never does", p.dir, c)
				}
			}
		}
	}
}

// snippets returns the code blocks of a file's package doc.
func snippets(f *ast.File) []string {
	if f.Doc == nil {
		return nil
	}
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, c := range f.Doc.List {
		if code, ok := strings.CutPrefix(c.Text, "//\t"); ok {
			cur = append(cur, code)
			continue
		}
		flush()
	}
	flush()
	return out
}

// parseSnippet parses a block as statements or, failing that, as
// declarations.
func parseSnippet(block string) (*ast.File, bool) {
	fset := token.NewFileSet()
	if f, err := parser.ParseFile(fset, "", "package p; func _() {\n"+block+"\n}", 0); err == nil {
		return f, true
	}
	if f, err := parser.ParseFile(fset, "", "package p\n"+block, 0); err == nil {
		return f, true
	}
	return nil, false
}

// calls lists each call in f as "name/arguments" (a method's or a
// function's name, qualified or not), leaving out builtins and
// conversions to predeclared types, and each other selector as ".name"
// (a method value, a field, a qualified type or variable).
func calls(f *ast.File) []string {
	var out []string
	called := map[ast.Expr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			called[n.Fun] = true
			switch fn := n.Fun.(type) {
			case *ast.SelectorExpr:
				out = append(out, fn.Sel.Name+"/"+strconv.Itoa(len(n.Args)))
			case *ast.Ident:
				if types.Universe.Lookup(fn.Name) == nil {
					out = append(out, fn.Name+"/"+strconv.Itoa(len(n.Args)))
				}
			}
		case *ast.SelectorExpr:
			if !called[n] {
				out = append(out, "."+n.Sel.Name)
			}
		}
		return true
	})
	return out
}
