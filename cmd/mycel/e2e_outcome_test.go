package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/bundle"
)

// The outcome loop end to end: four homes on loopback daemons settle one
// verified proof through the CLI alone, then a fifth home that never runs
// a daemon catches up from a bundle. Everything is the built binary; the
// test observes the other processes through their CLI.

const outcomeDistrict = "meso-valley/north"

// observeFor bounds every wait on another process.
const observeFor = 60 * time.Second

// quietRounds is how long the test watches for a second payment after the
// ledger settled: more than two of the daemons' 2 s sync rounds. Absence
// cannot be waited on as an event, so it is watched over a window.
const quietRounds = 5 * time.Second

// try runs one command against a home and returns its output and exit
// code, for commands that are meant to fail.
func (e *e2e) try(home string, args ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	cmd := exec.Command(e.bin, append([]string{"--home", home}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		e.t.Fatalf("mycel %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errb.String(), code
}

// decode runs a --json command and decodes its output into v.
func (e *e2e) decode(v any, home string, args ...string) {
	e.t.Helper()
	out := e.mycel(home, append(args, "--json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		e.t.Fatalf("mycel %s --json: %v: %q", strings.Join(args, " "), err, out)
	}
}

// eventually polls check, which observes other processes, until it holds
// or the deadline passes; the failure names the last state seen.
func (e *e2e) eventually(what string, check func() (bool, string)) {
	e.t.Helper()
	deadline := time.Now().Add(observeFor)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, state := check()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("after %v, not %s: %s", observeFor, what, state)
		}
		<-tick.C
	}
}

func (e *e2e) peerID(home string) string {
	var id api.Identity
	e.decode(&id, home, "id")
	return id.PeerID
}

func (e *e2e) digest(home string) string {
	return strings.TrimSpace(e.mycel(home, "ledger", "--digest"))
}

// sameDigest waits until every home prints one ledger digest and returns it.
func (e *e2e) sameDigest(homes ...string) string {
	e.t.Helper()
	var d string
	e.eventually("one ledger digest on every home", func() (bool, string) {
		var ds []string
		for _, h := range homes {
			ds = append(ds, e.digest(h))
		}
		d = ds[0]
		return !slices.ContainsFunc(ds, func(x string) bool { return x != d }), strings.Join(ds, " ")
	})
	return d
}

// paidFor lists the receipts a home holds from payer for proof.
func (e *e2e) paidFor(home, payer, proof string) []api.Receipt {
	var rs, out []api.Receipt
	e.decode(&rs, home, "receipts")
	for _, r := range rs {
		if r.Payer == payer && slices.Contains(r.For, proof) {
			out = append(out, r)
		}
	}
	return out
}

// balances maps account to balance in unit as a home sees it.
func (e *e2e) balances(home, unit string) map[string]int64 {
	var bs []api.Balance
	e.decode(&bs, home, "balance")
	m := map[string]int64{}
	for _, b := range bs {
		if b.Unit == unit && b.Balance != 0 {
			m[b.Account] = b.Balance
		}
	}
	return m
}

// outcome is the state the settlement phase leaves for the bundle phase.
type outcome struct {
	clinic, verifier1, verifier2, funder string // homes
	proof, digest                        string
}

func (o outcome) homes() []string { return []string{o.clinic, o.verifier1, o.verifier2, o.funder} }

func TestEndToEndOutcome(t *testing.T) {
	e := newE2E(t)
	var o outcome
	t.Run("settle", func(t *testing.T) {
		se := *e
		se.t = t
		o = settleThroughDaemons(&se)
	})
	if o.digest == "" {
		t.Fatal("settlement phase failed; no bundle phase")
	}
	t.Run("bundle", func(t *testing.T) {
		se := *e
		se.t = t
		carryByBundle(&se, o)
	})
}

// settleThroughDaemons: the funder (the district's steward) pledges, the
// clinic publishes, two verifiers attest, the funder's daemon pays by
// itself, and every home agrees on the ledger.
func settleThroughDaemons(e *e2e) outcome {
	t := e.t
	o := outcome{clinic: e.home("clinic"), verifier1: e.home("verifier1"), verifier2: e.home("verifier2"), funder: e.home("funder")}
	for _, h := range o.homes() {
		e.mycel(h, "init", "--district", outcomeDistrict)
	}
	for _, h := range o.homes() {
		e.start(h)
	}
	// A line: clinic - verifier1 - verifier2 - funder. The receipt crosses
	// three hops back to the clinic.
	e.mycel(o.verifier1, "connect", e.addr(o.clinic))
	e.mycel(o.verifier2, "connect", e.addr(o.verifier1))
	e.mycel(o.funder, "connect", e.addr(o.verifier2))

	clinicID, funderID := e.peerID(o.clinic), e.peerID(o.funder)
	e.mycel(o.funder, "district", "create", outcomeDistrict, "--steward", funderID,
		"--verifier", e.peerID(o.verifier1), "--verifier", e.peerID(o.verifier2), "--limit", "credit=10000")
	e.mycel(o.funder, "pledge", "--mip", "MIP-HLT@1", "--amount", "5000", "--unit", "credit", "--cap", "20000")

	claimFile := filepath.Join(e.dir, "claim.json")
	evFile := filepath.Join(e.dir, "labs.csv")
	if err := os.WriteFile(claimFile, []byte(claim), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(evFile, []byte("patient,hba1c\n1,64\n2,58\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	evID := strings.TrimSpace(e.mycel(o.clinic, "evidence", "add", evFile))
	var pub api.Published
	e.decode(&pub, o.clinic, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", claimFile, "--evidence", evID)
	o.proof = pub.CID
	if !pub.Sent {
		t.Fatalf("proof published through the daemon was not sent: %+v", pub)
	}

	for i, v := range []string{o.verifier1, o.verifier2} {
		e.waitProofs(v, o.proof)
		// attest refuses while the verifier does not hold the district
		// entry that makes it one: it may come after the proof.
		var w api.Written
		e.eventually("attested", func() (bool, string) {
			out, errOut, code := e.try(v, "attest", o.proof, "--verdict", "valid", "--note", "labs match the registry, verifier "+string(rune('1'+i)), "--json")
			return code == 0 && json.Unmarshal([]byte(out), &w) == nil, strings.TrimSpace(errOut)
		})
		if w.Kind != "attest" || !w.Sent {
			t.Fatalf("attestation %+v", w)
		}
	}

	e.eventually("verified on every home", func() (bool, string) {
		var state []string
		all := true
		for _, h := range o.homes() {
			// A home the proof has not reached yet answers "no proof": not yet.
			var st api.ProofStatus
			out, errOut, code := e.try(h, "proof", "status", o.proof, "--json")
			if code != 0 {
				all = false
				state = append(state, filepath.Base(h)+": "+strings.TrimSpace(errOut))
				continue
			}
			if err := json.Unmarshal([]byte(out), &st); err != nil {
				t.Fatalf("proof status --json: %v: %q", err, out)
			}
			all = all && st.Verified
			state = append(state, filepath.Base(h)+": "+strings.Join([]string{st.MIP, itoa(st.Valid), "of", itoa(st.K)}, " "))
		}
		return all, strings.Join(state, "; ")
	})

	// The funder ran no pay command: its daemon pays, and the receipt
	// reaches the clinic three hops away.
	e.eventually("paid once at the clinic", func() (bool, string) {
		rs := e.paidFor(o.clinic, funderID, o.proof)
		return len(rs) == 1, itoa(len(rs)) + " receipts"
	})
	r := e.paidFor(o.clinic, funderID, o.proof)[0]
	if r.Payee != clinicID || r.Amount != 5000 || r.Unit != "credit" || !r.Counted || !r.Covered || r.District != outcomeDistrict {
		t.Fatalf("receipt %+v", r)
	}

	want := map[string]int64{clinicID: 5000, funderID: -5000}
	e.eventually("the same balances on every home", func() (bool, string) {
		var state []string
		all := true
		for _, h := range o.homes() {
			got := e.balances(h, "credit")
			all = all && equalBalances(got, want)
			state = append(state, filepath.Base(h)+": "+fmtBalances(got))
		}
		return all, strings.Join(state, "; ")
	})
	o.digest = e.sameDigest(o.homes()...)

	// A superseding attestation kicks the funder's settler again: still one
	// receipt, on every home, over more than two sync rounds.
	e.mycel(o.verifier1, "attest", o.proof, "--verdict", "valid", "--note", "rechecked")
	e.eventually("the re-attestation on the funder", func() (bool, string) {
		var st api.ProofStatus
		e.decode(&st, o.funder, "proof", "status", o.proof)
		return slices.ContainsFunc(st.Attestations, func(a api.Attestation) bool { return a.Note == "rechecked" && a.Counted }) && st.Verified,
			itoa(len(st.Attestations)) + " attestations"
	})
	quiet := time.Now().Add(quietRounds)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(quiet) {
		for _, h := range o.homes() {
			if rs := e.paidFor(h, funderID, o.proof); len(rs) > 1 {
				t.Fatalf("%s holds %d receipts for one proof: %+v", filepath.Base(h), len(rs), rs)
			}
		}
		<-tick.C
	}
	o.digest = e.sameDigest(o.homes()...)
	t.Logf("settled: receipt %s, digest %s", r.CID, o.digest)
	for _, h := range o.homes() {
		if rs := e.paidFor(h, funderID, o.proof); len(rs) != 1 {
			t.Fatalf("%s holds %d receipts for the proof after a further round", filepath.Base(h), len(rs))
		}
		if got := e.balances(h, "credit"); !equalBalances(got, want) {
			t.Fatalf("%s balances %s after a further round", filepath.Base(h), fmtBalances(got))
		}
	}
	return o
}

// carryByBundle: a home that never runs a daemon catches up from a bundle
// the clinic's daemon exports; a cut copy imports what is whole.
func carryByBundle(e *e2e, o outcome) {
	t := e.t
	away, cut := e.home("away"), e.home("cut")
	e.mycel(away, "init", "--profile", "offline", "--district", outcomeDistrict)
	e.mycel(cut, "init", "--profile", "offline", "--district", outcomeDistrict)

	stick := filepath.Join(e.dir, "stick")
	if err := os.Mkdir(stick, 0o700); err != nil {
		t.Fatal(err)
	}
	wantFile, car := filepath.Join(stick, "want.json"), filepath.Join(stick, "district.car")
	e.mycel(away, "bundle", "want", "--out", wantFile)

	var held []api.LogEntry
	e.decode(&held, o.clinic, "log")
	var stats struct {
		File string `json:"file"`
		bundle.Stats
	}
	e.decode(&stats, o.clinic, "bundle", "export", car, "--since", wantFile)
	if stats.File != car || stats.Entries != len(held) || stats.Authors != 4 || stats.Forks != 0 {
		t.Fatalf("export %+v, clinic holds %d entries", stats, len(held))
	}
	if fi, err := os.Stat(car); err != nil || fi.Size() != stats.Bytes {
		t.Fatalf("bundle file %v %v, export said %d bytes", fi, err, stats.Bytes)
	}

	t.Logf("export: %+v", stats)
	var first bundle.Report
	e.decode(&first, away, "bundle", "import", car)
	if first.New != stats.Entries || first.Known != 0 || first.Rejected != 0 || first.Pending != 0 || first.Damaged != "" {
		t.Fatalf("first import %+v, bundle holds %d", first, stats.Entries)
	}
	var second bundle.Report
	e.decode(&second, away, "bundle", "import", car)
	if second.New != 0 || second.Known != stats.Entries || second.Rejected != 0 {
		t.Fatalf("second import %+v, bundle holds %d", second, stats.Entries)
	}
	if d := e.digest(away); d != o.digest {
		t.Fatalf("away digest %s, the daemons' %s", d, o.digest)
	}
	var st api.ProofStatus
	e.decode(&st, away, "proof", "status", o.proof)
	if !st.Verified {
		t.Fatalf("away sees the proof unverified: %+v", st)
	}

	// A copy cut inside its blocks: the whole entries before the cut are
	// imported, the damage is reported, the exit code is not 0.
	whole, err := os.ReadFile(car)
	if err != nil {
		t.Fatal(err)
	}
	cutFile := filepath.Join(stick, "cut.car")
	if err := os.WriteFile(cutFile, whole[:len(whole)*2/3], 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := e.try(cut, "bundle", "import", cutFile, "--json")
	var rep bundle.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("cut import printed no report: %v: %q %q", err, out, errOut)
	}
	if code == 0 || rep.Damaged == "" || !strings.Contains(errOut, "damaged") {
		t.Fatalf("cut import: exit %d, report %+v, stderr %q", code, rep, errOut)
	}
	if rep.New < 1 || rep.New >= stats.Entries || rep.Rejected != 0 {
		t.Fatalf("cut import %+v of %d entries", rep, stats.Entries)
	}
	t.Logf("cut import (%d of %d bytes): exit %d, %+v, stderr %q", len(whole)*2/3, len(whole), code, rep, errOut)
	var got []api.LogEntry
	e.decode(&got, cut, "log")
	if len(got) != rep.New {
		t.Fatalf("cut home holds %d entries, import reported %+v", len(got), rep)
	}

	// The remedy the error names: import the whole copy for the rest.
	var rest bundle.Report
	e.decode(&rest, cut, "bundle", "import", car)
	if rest.New != stats.Entries-rep.New || rest.Known != rep.New || rest.Rejected != 0 {
		t.Fatalf("whole copy after the cut one %+v, cut imported %d of %d", rest, rep.New, stats.Entries)
	}
	if d := e.digest(cut); d != o.digest {
		t.Fatalf("cut home digest %s after the whole copy, the daemons' %s", d, o.digest)
	}
}

func equalBalances(got, want map[string]int64) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

func fmtBalances(m map[string]int64) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, k[len(k)-6:]+"="+itoa(int(v)))
	}
	slices.Sort(parts)
	return "{" + strings.Join(parts, " ") + "}"
}
