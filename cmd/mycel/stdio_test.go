package main

import (
	"bytes"
	"strings"
	"testing"
)

// runIn runs the CLI in-process with stdin.
func runIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(stdin), &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// TestDashIsStdio: "-" names stdin for evidence add, proof publish
// --claim and bundle import, and stdout for bundle export.
func TestDashIsStdio(t *testing.T) {
	a, b := newHome(t), newHome(t)
	if r := runIn(t, "scan bytes", "--home", a, "evidence", "add", "-", "--json"); r.code != 0 || !strings.Contains(r.stdout, `"label": "stdin"`) {
		t.Fatalf("evidence add -: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	if r := runIn(t, claim, "--home", a, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", "-", "--no-evidence"); r.code != 0 {
		t.Fatalf("publish --claim -: exit %d: %s", r.code, r.stderr)
	}
	exp := runIn(t, "", "--home", a, "bundle", "export", "-")
	if exp.code != 0 || !strings.HasPrefix(exp.stderr, "wrote ") || !strings.Contains(exp.stderr, "to stdout") {
		t.Fatalf("bundle export -: exit %d, stderr %q", exp.code, exp.stderr)
	}
	if r := runIn(t, "", "--home", b, "bundle", "want", "--out", "-"); r.code != 0 || !strings.Contains(r.stdout, `"heads"`) {
		t.Fatalf("bundle want --out -: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	imp := runIn(t, exp.stdout, "--home", b, "bundle", "import", "-")
	if imp.code != 0 || !strings.HasPrefix(imp.stdout, "1 new, 0 known, 0 rejected") {
		t.Fatalf("bundle import -: exit %d, %q %q", imp.code, imp.stdout, imp.stderr)
	}
}
