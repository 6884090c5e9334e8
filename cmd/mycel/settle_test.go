package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
)

// homePeer returns the peer ID of a home.
func homePeer(t *testing.T, home string) string {
	var id api.Identity
	if err := json.Unmarshal([]byte(must(t, "id", "--home", home, "--json")), &id); err != nil {
		t.Fatal(err)
	}
	return id.PeerID
}

func logLen(t *testing.T, home string) int {
	var es []api.LogEntry
	if err := json.Unmarshal([]byte(must(t, "log", "--home", home, "--json")), &es); err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestSettleCommands runs the settlement commands against a vault with no
// daemon: writes go to the vault, views are computed from it.
func TestSettleCommands(t *testing.T) {
	payer, payee := newHome(t), newHome(t)
	to := homePeer(t, payee)
	must(t, "district", "create", "meso-valley/north", "--home", payer, "--steward", homePeer(t, payer), "--verifier", to, "--limit", "credit=100")
	must(t, "pay", to, "40", "credit", "--memo", "seedlings", "--home", payer)
	must(t, "pledge", "--mip", "MIP-HLT@1", "--amount", "5", "--unit", "credit", "--cap", "50", "--where", "cohort_size>=100", "--where", "measure=hba1c", "--home", payer)

	var bs []api.Balance
	if err := json.Unmarshal([]byte(must(t, "balance", "--json", "--home", payer)), &bs); err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].Balance+bs[1].Balance != 0 {
		t.Fatalf("balances %+v", bs)
	}
	var rs []api.Receipt
	if err := json.Unmarshal([]byte(must(t, "receipts", "--json", "--home", payer)), &rs); err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || !rs[0].Covered || rs[0].Memo != "seedlings" {
		t.Fatalf("receipts %+v", rs)
	}
	d := strings.TrimSpace(must(t, "ledger", "--digest", "--home", payer))
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(d) {
		t.Fatalf("digest %q", d)
	}
	if !strings.Contains(must(t, "ledger", "--home", payer), d) {
		t.Fatal("ledger table lacks the digest")
	}

	before := logLen(t, payer)
	fails(t, exitUsage, "AMOUNT must be a positive integer", "pay", to, "ten", "credit", "--home", payer)
	fails(t, exitError, "unit", "pay", to, "10", "9bad", "--home", payer)
	fails(t, exitError, "payee", "pay", "nobody", "10", "credit", "--home", payer)
	fails(t, exitError, "not known here", "pledge", "--mip", "MIP-NOPE@1", "--amount", "1", "--unit", "credit", "--cap", "1", "--home", payer)
	fails(t, exitUsage, "no operator", "pledge", "--mip", "MIP-HLT@1", "--amount", "1", "--unit", "credit", "--cap", "1", "--where", "cohort", "--home", payer)
	fails(t, exitError, "cap", "pledge", "--mip", "MIP-HLT@1", "--amount", "5", "--unit", "credit", "--cap", "1", "--home", payer)
	fails(t, exitError, "already has a genesis", "district", "create", "meso-valley/north", "--steward", to, "--home", payer)
	fails(t, exitUsage, "--verdict", "attest", rs[0].CID, "--verdict", "maybe", "--home", payer)
	fails(t, exitError, "is a receipt entry, not a proof", "attest", rs[0].CID, "--verdict", "valid", "--home", payer)
	fails(t, exitError, "no proof", "proof", "status", rs[0].CID, "--home", payer)
	if logLen(t, payer) != before {
		t.Fatal("bad input wrote entries")
	}
}
