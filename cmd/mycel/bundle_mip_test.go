package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/mip/miptest"
)

// mipBundle writes a bundle holding, proof first, a proof under MIP-TST@1
// and the mip entry that defines it (MIP-HLT@1's schema under a new id),
// and returns its path and the proof's CID.
func mipBundle(t *testing.T) (path, proof string) {
	t.Helper()
	def, p := miptest.Published(t, "meso-valley/north")
	path = filepath.Join(t.TempDir(), "mip.car")
	if err := os.WriteFile(path, miptest.Bundle(t, p, def), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, p.CID.String()
}

// checkMIPProof: home holds the proof, under a policy it knows.
func checkMIPProof(t *testing.T, home, proof string) {
	t.Helper()
	var ps []api.Proof
	if err := json.Unmarshal([]byte(must(t, "--home", home, "proofs", "--mip", "MIP-TST@1", "--json")), &ps); err != nil || len(ps) != 1 || ps[0].CID != proof {
		t.Fatalf("proofs: %+v %v", ps, err)
	}
	var st api.ProofStatus
	if err := json.Unmarshal([]byte(must(t, "--home", home, "proof", "status", proof, "--json")), &st); err != nil || !st.KnownPolicy || st.K != 2 {
		t.Fatalf("proof status: %+v %v", st, err)
	}
}

// TestBundleNewMIP: a bundle carrying a new MIP and a proof under it
// (proof first) imports both the first time and nothing the second,
// without a daemon, through an offline daemon and through an online one;
// commands without a daemon then judge proofs against the published MIP.
func TestBundleNewMIP(t *testing.T) {
	car, proof := mipBundle(t)
	for _, mode := range [][]string{nil, {"--offline"}, {"--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns", "--no-port-map"}} {
		home := newHome(t)
		if mode != nil {
			runDaemon(t, home, mode...)
		}
		if got := must(t, "--home", home, "bundle", "import", car); got != "2 new, 0 known, 0 rejected\n" {
			t.Fatalf("daemon %v: import: %q", mode, got)
		}
		if got := must(t, "--home", home, "bundle", "import", car); got != "0 new, 2 known, 0 rejected\n" {
			t.Fatalf("daemon %v: second import: %q", mode, got)
		}
		checkMIPProof(t, home, proof)
	}
	home := newHome(t)
	must(t, "--home", home, "bundle", "import", car)
	stop := runDaemon(t, home, "--offline")
	checkMIPProof(t, home, proof)
	stop()
	must(t, "--home", home, "proof", "publish", "--mip", "MIP-TST@1", "--claim", writeFile(t, "claim.json", claim), "--no-evidence")
	if got := must(t, "--home", home, "mip", "show", "MIP-TST@1", "--json"); !bytes.Contains([]byte(got), []byte(`"MIP-TST@1"`)) {
		t.Fatalf("mip show: %q", got)
	}
}
