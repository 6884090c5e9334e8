package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// run runs one command and returns its exit code, stdout and stderr.
func (e *e2e) run(home string, args ...string) (int, string, string) {
	e.t.Helper()
	cmd := exec.Command(e.bin, append([]string{"--home", home}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if x, ok := err.(*exec.ExitError); ok {
		code = x.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// A backup taken through a running daemon restores into a new home with
// the same entries. The restored home's daemon, with no peer to confirm
// its head, refuses to write with one line naming the remedy; restarted
// with --trust-head it writes, continuing the log.
func TestBackupThroughDaemonE2E(t *testing.T) {
	e := newE2E(t)
	a := e.home("a")
	e.mycel(a, "init")
	claimFile := writeFile(t, "claim.json", claim)
	d := e.start(a)
	first := e.publish(a, claimFile)
	file := filepath.Join(e.dir, "a.backup")
	out := e.mycel(a, "backup", file, "--json")
	if !strings.Contains(out, `"via": "daemon"`) {
		t.Fatalf("backup with a daemon running: %s", out)
	}
	d.stop(t)

	r := e.home("restored")
	e.mycel(r, "restore", file)
	if got := e.proofs(r); len(got) != 1 || got[0] != first {
		t.Fatalf("restored proofs %v, want [%s]", got, first)
	}
	d = e.start(r)
	code, _, stderr := e.run(r, "proof", "publish", "--no-evidence", "--mip", "MIP-HLT@1", "--claim", claimFile)
	if code == 0 || !strings.Contains(stderr, "restored from a backup") || !strings.Contains(stderr, "--trust-head") || strings.Count(stderr, "\n") > 2 {
		t.Fatalf("publish on a restored home before a peer confirmed: exit %d, %q", code, stderr)
	}
	if got := e.proofs(r); len(got) != 1 {
		t.Fatalf("the refused publish wrote: %v", got)
	}
	d.stop(t)
	d = e.start(r, "--trust-head")
	e.publish(r, claimFile)
	if got := e.proofs(r); len(got) != 2 {
		t.Fatalf("after --trust-head: %v, want two proofs", got)
	}
	d.stop(t)
}
