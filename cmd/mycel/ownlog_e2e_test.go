package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
)

// TestCopiedHomeRefusesWhileOriginalRuns: `cp -a` of a running home, the
// copy started beside the original and connected to the same peer: the
// copy's write is refused with one line naming the problem and the
// remedy, its status says so, the original goes on writing, and the peer
// flags no one.
func TestCopiedHomeRefusesWhileOriginalRuns(t *testing.T) {
	e := newE2E(t)
	x, b := e.home("clinic"), e.home("relay")
	for _, h := range []string{x, b} {
		e.mycel(h, "init", "--district", "meso-valley/north")
	}
	e.start(x)
	e.start(b)
	e.mycel(x, "connect", e.addr(b))
	claimFile := filepath.Join(e.dir, "claim.json")
	os.WriteFile(claimFile, []byte(claim), 0o600)
	first := e.publish(x, claimFile)

	cp := e.home("clinic-copy")
	if out, err := exec.Command("cp", "-a", x, cp).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v %s", err, out)
	}
	os.Remove(filepath.Join(cp, "api")) // the original's address
	e.start(cp)
	e.mycel(cp, "connect", e.addr(b))
	out, errOut, code := e.try(cp, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", claimFile, "--no-evidence")
	if code == 0 || strings.Count(strings.TrimSpace(errOut), "\n") > 1 || !strings.Contains(errOut, "another process holds this identity") || !strings.Contains(errOut, "stop the other copy") {
		t.Fatalf("copy's publish: exit %d\nstdout %s\nstderr %s\nwant a refusal naming the other process and the remedy", code, out, errOut)
	}
	t.Logf("copy's refusal: %s", errOut)
	var st api.Status
	if err := json.Unmarshal([]byte(e.mycel(cp, "status", "--json")), &st); err != nil || !strings.Contains(st.Self.Warning, "another process") {
		t.Fatalf("copy's status warning %q (%v)", st.Self.Warning, err)
	}
	if text := e.mycel(cp, "status"); !strings.Contains(text, "WARNING: this peer refuses to write") {
		t.Fatalf("copy's status does not warn:\n%s", text)
	}
	second := e.publish(x, claimFile)
	e.waitProofs(b, first, second)
	var l api.Ledger
	if err := json.Unmarshal([]byte(e.mycel(b, "ledger", "--json")), &l); err != nil || len(l.Flagged) != 0 {
		t.Fatalf("peer's ledger flags %v (%v)", l.Flagged, err)
	}
}
