package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

// TestPledgeWhereMistakes: a mistyped operator is a usage error naming it
// with the fix; a field the MIP does not have is refused with the near
// name; neither writes an entry.
func TestPledgeWhereMistakes(t *testing.T) {
	dir := newHome(t)
	pledge := []string{"pledge", "--mip", "MIP-HLT@1", "--amount", "1", "--unit", "credit", "--cap", "5", "--home", dir}
	fails(t, exitUsage, `operator "=>" is not one of >= <= = > < !=: did you mean cohort_size>=5?`, append(pledge, "--where", "cohort_size=>5")...)
	fails(t, exitError, "did you mean cohort_size?", append(pledge, "--where", "cohort>=5")...)
	fails(t, exitError, "did you mean hba1c?", append(pledge, "--where", "measure=hba1x")...)
	if n := logLen(t, dir); n != 0 {
		t.Fatalf("refused pledges wrote %d entries", n)
	}
	must(t, append(pledge, "--where", "cohort_size>=5", "--where", "measure=hba1c")...)
}

// TestPledgesWithdraw: mycel pledges lists a pledge as open with its cap
// left; mycel pledge withdraw ends it; a second withdraw is refused.
func TestPledgesWithdraw(t *testing.T) {
	dir := newHome(t)
	cid := strings.TrimSpace(must(t, "pledge", "--mip", "MIP-HLT@1", "--amount", "5", "--unit", "credit", "--cap", "50", "--where", "cohort_size>=100", "--home", dir))
	var ps []api.PledgeRow
	if err := json.Unmarshal([]byte(must(t, "pledges", "--json", "--home", dir)), &ps); err != nil || len(ps) != 1 || ps[0].CID != cid || ps[0].Left != 50 || ps[0].State != "open" {
		t.Fatalf("pledges %+v %v", ps, err)
	}
	must(t, "pledge", "withdraw", cid, "--reason", "moved", "--home", dir)
	table := must(t, "pledges", "--home", dir)
	if !strings.Contains(table, cid) || !strings.Contains(table, "withdrawn") {
		t.Fatalf("pledges table after withdraw:\n%s", table)
	}
	fails(t, exitError, "already withdrawn", "pledge", "withdraw", cid, "--home", dir)
}

// TestPayBeyondLimit: a payment the district's credit limit does not back
// is refused with the limit, balance and shortfall unless
// --allow-uncovered; balance shows the payee's uncovered income apart.
// Amounts that are not positive integers are usage errors.
func TestPayBeyondLimit(t *testing.T) {
	payer, payee := newHome(t), newHome(t)
	to := homePeer(t, payee)
	must(t, "district", "create", "meso-valley/north", "--home", payer, "--steward", homePeer(t, payer), "--limit", "credit=100")
	must(t, "pay", to, "40", "credit", "--home", payer)
	fails(t, exitError, "limit 100, covered balance -40, shortfall 10; pay at most 60", "pay", to, "70", "credit", "--home", payer)
	for _, bad := range []string{"-5", "0", "1.5", "ten"} {
		fails(t, exitUsage, "AMOUNT must be a positive integer", "pay", to, bad, "credit", "--home", payer)
	}
	if n := logLen(t, payer); n != 2 {
		t.Fatalf("refused payments wrote entries: log has %d", n)
	}
	must(t, "pay", to, "70", "credit", "--allow-uncovered", "--home", payer)
	var bs []api.Balance
	if err := json.Unmarshal([]byte(must(t, "balance", "--json", "--home", payer)), &bs); err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Account == to && (b.Balance != 110 || b.Covered != 40 || b.Uncovered != 70) {
			t.Fatalf("payee balance %+v, want 110 = 40 covered + 70 uncovered", b)
		}
	}
	if table := must(t, "balance", "--home", payer); !strings.Contains(table, "UNCOVERED") {
		t.Fatalf("balance table:\n%s", table)
	}
}

// TestAttestGrantRefuse: an attestation by a peer that is not a verifier
// of the proof's district, and a role entry by a peer that is not a
// steward, are refused with the reason unless --anyway.
func TestAttestGrantRefuse(t *testing.T) {
	steward, clinic, verifier, stranger := newHome(t), newHome(t), newHome(t), newHome(t)
	sid, vid, xid := homePeer(t, steward), homePeer(t, verifier), homePeer(t, stranger)
	must(t, "district", "create", "meso-valley/north", "--steward", sid, "--verifier", vid, "--home", steward)
	proof := publishProof(t, clinic)
	stick := filepath.Join(t.TempDir(), "all.car")
	must(t, "--home", clinic, "bundle", "export", stick)
	genesis := filepath.Join(t.TempDir(), "genesis.car")
	must(t, "--home", steward, "bundle", "export", genesis)
	for _, h := range []string{verifier, stranger} {
		must(t, "--home", h, "bundle", "import", stick)
		must(t, "--home", h, "bundle", "import", genesis)
	}
	fails(t, exitError, "you are not a verifier of meso-valley/north", "attest", proof, "--verdict", "valid", "--home", stranger)
	must(t, "attest", proof, "--verdict", "valid", "--home", verifier)
	must(t, "attest", proof, "--verdict", "valid", "--anyway", "--home", stranger)

	fails(t, exitError, "you are not a steward of meso-valley/north", "district", "grant", "meso-valley/north", xid, "--home", stranger)
	fails(t, exitError, "only the stewards of", "district", "grant", "meso-valley/north", xid, "--role", "steward", "--home", verifier)
	fails(t, exitError, "has no genesis held here", "district", "grant", "other/place", xid, "--home", stranger)
	must(t, "district", "grant", "meso-valley/north", xid, "--home", steward)
	must(t, "district", "grant", "meso-valley/north", xid, "--anyway", "--home", stranger)
}

// TestDistrictPinShow: district pin refuses a CID that is not the
// district's entry, naming what it is; a pin written by hand that names a
// proof stops the daemon at start in one line; a good pin is written into
// config.toml (its comments kept) and district show reports it with the
// genesis, roster and limits.
func TestDistrictPinShow(t *testing.T) {
	dir := newHome(t)
	me := homePeer(t, dir)
	var g api.Written
	if err := json.Unmarshal([]byte(must(t, "district", "create", "meso-valley/north", "--steward", me, "--limit", "credit=100", "--json", "--home", dir)), &g); err != nil {
		t.Fatal(err)
	}
	proof := publishProof(t, dir)
	fails(t, exitError, "names an entry of kind proof", "district", "pin", "meso-valley/north", proof, "--home", dir)
	fails(t, exitError, "names no entry held", "district", "pin", "meso-valley/north", "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy", "--home", dir)
	fails(t, exitError, `names the district entry of "meso-valley/north", not of other/place`, "district", "pin", "other/place", g.CID, "--home", dir)

	cfg := filepath.Join(dir, "config.toml")
	if _, err := home.SetPin(cfg, "meso-valley/north", proof); err != nil {
		t.Fatal(err)
	}
	fails(t, exitError, "pin meso-valley/north = "+proof+" names an entry of kind proof", "--home", dir, "daemon", "--offline", "--api", "127.0.0.1:0")
	show := must(t, "district", "show", "meso-valley/north", "--home", dir)
	if !strings.Contains(show, "warning:") || !strings.Contains(show, "names an entry of kind proof") {
		t.Fatalf("show with a bad pin:\n%s", show)
	}

	must(t, "district", "pin", "meso-valley/north", g.CID, "--home", dir)
	text, _ := os.ReadFile(cfg)
	if !strings.Contains(string(text), `"meso-valley/north" = "`+g.CID+`"`) || !strings.Contains(string(text), "# District geneses pinned by CID") {
		t.Fatalf("config after pin:\n%s", text)
	}
	var d api.DistrictInfo
	if err := json.Unmarshal([]byte(must(t, "district", "show", "meso-valley/north", "--json", "--home", dir)), &d); err != nil {
		t.Fatal(err)
	}
	if d.Genesis == nil || d.Genesis.CID != g.CID || d.Pin != g.CID || d.PinProblem != "" || d.Limits["credit"] != 100 ||
		len(d.Stewards) != 1 || d.Stewards[0] != me || d.Candidates != 1 {
		t.Fatalf("district show %+v", d)
	}
	fails(t, exitError, "no district entry for other/place", "district", "show", "other/place", "--home", dir)
}

// TestPublishMistakes: a period in the future, a claim with a key written
// twice and a proof with no evidence are refused, naming what is wrong;
// every bad claim field is named at once; nothing is written.
func TestPublishMistakes(t *testing.T) {
	dir := newHome(t)
	ev := strings.TrimSpace(must(t, "--home", dir, "evidence", "add", writeFile(t, "labs.csv", "patient,hba1c\n1,64\n")))
	pub := []string{"--home", dir, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", writeFile(t, "claim.json", claim)}
	fails(t, exitError, "period_end 2999-01-01T00:00:00Z is in the future", append(pub, "--evidence", ev, "--period-end", "2999-01-01T00:00:00Z")...)
	fails(t, exitError, "period_start 2999-01-01T00:00:00Z is in the future", append(pub, "--evidence", ev, "--period-start", "2999-01-01T00:00:00Z")...)
	fails(t, exitError, "commits to no evidence", pub...)
	twice := writeFile(t, "twice.json", strings.Replace(claim, `"cohort_size": 240,`, `"cohort_size": 240, "cohort_size": 24,`, 1))
	fails(t, exitError, `claim field "/cohort_size": written twice`, "--home", dir, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", twice, "--evidence", ev)
	many := writeFile(t, "many.json", strings.NewReplacer(`"cohort_size": 240`, `"cohort_size": 0`, `"measure": "hba1c"`, `"measure": "walking"`, `"period_days": 180`, `"period_days": 0`).Replace(claim))
	r := runCLI(t, "--home", dir, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", many, "--evidence", ev)
	for _, f := range []string{`"/cohort_size"`, `"/measure"`, `"/period_days"`} {
		if r.code != exitError || !strings.Contains(r.stderr, f) {
			t.Fatalf("publish with three bad fields: exit %d, %q lacks %s", r.code, r.stderr, f)
		}
	}
	if n := logLen(t, dir); n != 0 {
		t.Fatalf("refused publishes wrote %d entries", n)
	}
	must(t, append(pub, "--no-evidence")...)
	must(t, append(pub, "--evidence", ev, "--period-end", "2025-07-01T00:00:00Z")...)
}

// TestPayRefusedOnUnreadableViews: when the views cannot be computed (a
// receipt block in the vault no longer decodes) the credit check cannot
// judge the payment, so pay refuses it instead of signing it unchecked.
func TestPayRefusedOnUnreadableViews(t *testing.T) {
	payer, payee := newHome(t), newHome(t)
	to := homePeer(t, payee)
	must(t, "district", "create", "meso-valley/north", "--home", payer, "--steward", homePeer(t, payer), "--limit", "credit=100")
	must(t, "pay", to, "90", "credit", "--home", payer)
	path, bad := breakReceipts(t, payer)
	if r := runCLI(t, "pay", to, "90", "credit", "--home", payer); r.code == 0 {
		t.Fatalf("pay over the limit with unreadable views: exit 0, %q", r.stdout)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, bad) {
		t.Fatal("the refused payment changed vault.db")
	}
}

// TestAttestWithdrawWrongKind: a CID held in the vault that names another
// kind of entry is said to be that kind, not "not in the vault" with a
// remedy (sync or import) that could never help.
func TestAttestWithdrawWrongKind(t *testing.T) {
	payer, payee := newHome(t), newHome(t)
	rc := strings.TrimSpace(must(t, "pay", homePeer(t, payee), "1", "credit", "--allow-uncovered", "--home", payer))
	fails(t, exitError, "is a receipt entry, not a proof", "attest", rc, "--verdict", "valid", "--home", payer)
	fails(t, exitError, "is a receipt entry, not a pledge", "pledge", "withdraw", rc, "--home", payer)
}

// TestEmptyEvidenceRefused: an empty file (or nothing piped to -) is
// refused as evidence: a proof committing to it gives a verifier nothing
// to check, and the mistake is usually an empty pipe.
func TestEmptyEvidenceRefused(t *testing.T) {
	dir := newHome(t)
	fails(t, exitError, "evidence is empty", "--home", dir, "evidence", "add", writeFile(t, "empty.pdf", ""))
	if out := must(t, "--home", dir, "evidence", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("refused evidence was kept: %s", out)
	}
}

// TestProofsFilterMistakes: a malformed --mip or --district is a usage
// error, not an empty list that reads as "no proofs held".
func TestProofsFilterMistakes(t *testing.T) {
	dir := newHome(t)
	fails(t, exitUsage, `--mip "NOPE" is not a MIP`, "proofs", "--mip", "NOPE", "--home", dir)
	fails(t, exitUsage, `--mip "MIP-HLT@" is not a MIP`, "proofs", "--mip", "MIP-HLT@", "--home", dir)
	fails(t, exitUsage, `--district "BAD NAME" is not a lowercase path`, "proofs", "--district", "BAD NAME", "--home", dir)
	fails(t, exitUsage, `district "BAD NAME" is not a lowercase path`, "district", "show", "BAD NAME", "--home", dir)
	must(t, "proofs", "--mip", "MIP-HLT", "--home", dir)
	must(t, "proofs", "--mip", "MIP-HLT@1", "--district", "meso-valley/north", "--home", dir)
}

// TestDistrictTypoRefused: a proof or pledge into a district with no
// genesis held, whose name is a near miss of one that is held, is refused
// with the near name unless --anyway; a name far from every held one (a
// district whose entry has not arrived yet) is written.
func TestDistrictTypoRefused(t *testing.T) {
	dir := newHome(t)
	must(t, "district", "create", "meso-valley/north", "--steward", homePeer(t, dir), "--home", dir)
	before := logLen(t, dir)
	file := filepath.Join(t.TempDir(), "claim.json")
	if err := os.WriteFile(file, []byte(claim), 0o600); err != nil {
		t.Fatal(err)
	}
	publish := []string{"proof", "publish", "--mip", "MIP-HLT@1", "--claim", file, "--no-evidence", "--home", dir, "--district"}
	pledge := []string{"pledge", "--mip", "MIP-HLT@1", "--amount", "1", "--unit", "credit", "--cap", "5", "--home", dir, "--district"}
	fails(t, exitError, "did you mean --district meso-valley/north?", append(publish, "meso-valley/nroth")...)
	fails(t, exitError, "did you mean --district meso-valley/north?", append(pledge, "meso-valley/nort")...)
	if n := logLen(t, dir); n != before {
		t.Fatalf("refused entries were written: log has %d, had %d", n, before)
	}
	must(t, append(publish, "meso-valley/nroth", "--anyway")...)
	must(t, append(pledge, "meso-valley/nort", "--anyway")...)
	must(t, append(publish, "kisumu/lakeside")...)
}
