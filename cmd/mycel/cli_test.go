package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/protocol"
)

// result is one in-process run of the CLI.
type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(""), &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// must runs the CLI and fails the test unless it exits 0.
func must(t *testing.T, args ...string) string {
	t.Helper()
	r := runCLI(t, args...)
	if r.code != 0 {
		t.Fatalf("mycel %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// fails runs the CLI and checks the exit code and the one-line error.
func fails(t *testing.T, code int, want string, args ...string) {
	t.Helper()
	r := runCLI(t, args...)
	if r.code != code {
		t.Fatalf("mycel %s: exit %d, want %d (stderr %q)", strings.Join(args, " "), r.code, code, r.stderr)
	}
	first, _, _ := strings.Cut(r.stderr, "\n")
	if !strings.HasPrefix(first, "mycel: ") || !strings.Contains(first, want) {
		t.Fatalf("mycel %s: stderr %q, want a first line naming %q", strings.Join(args, " "), r.stderr, want)
	}
	if strings.Contains(r.stderr, "goroutine ") || strings.Count(r.stderr, "\n") > 2 {
		t.Fatalf("stderr is not one line of cause and one of remedy: %q", r.stderr)
	}
}

func newHome(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "home")
	must(t, "init", "--home", dir, "--district", "meso-valley/north")
	return dir
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const claim = `{"cohort_size": 240, "measure": "hba1c", "unit": "mmol_mol", "baseline_x10": 685,
 "outcome_x10": 583, "period_days": 180, "method": "pre_post_cohort"}`

func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "home")
	var got Initialized
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "init", "--json", "--profile", "server")), &got); err != nil {
		t.Fatal(err)
	}
	if _, err := protocol.ParsePeer(got.PeerID); err != nil || !strings.HasPrefix(got.DID, "did:key:z") || got.Profile != "server" {
		t.Fatalf("init: %+v", got)
	}
	for _, f := range []string{"config.toml", "vault.db", "api.token"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.ReadFile(filepath.Join(dir, "api.token"))
	fails(t, 1, "already exists", "init", "--home", dir)
	after, _ := os.ReadFile(filepath.Join(dir, "api.token"))
	if !bytes.Equal(before, after) {
		t.Fatal("refused init changed the home")
	}
	text := must(t, "init", "--home", filepath.Join(t.TempDir(), "h2"))
	if !strings.Contains(text, "run: mycel daemon") {
		t.Fatalf("init does not name the next step: %q", text)
	}
}

func TestInitRejects(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "home")
	fails(t, 2, "district", "init", "--home", dir, "--district", "Meso Valley")
	fails(t, 2, "profile", "init", "--home", dir, "--profile", "desktop")
	fails(t, 1, "passphrase file", "init", "--home", dir, "--passphrase-file", filepath.Join(parent, "none"))
	if left, _ := os.ReadDir(parent); len(left) != 0 {
		t.Fatalf("failed init left %v", left)
	}
}

func TestOfflineCommands(t *testing.T) {
	dir := newHome(t)
	var id api.Identity
	json.Unmarshal([]byte(must(t, "id", "--json", "--home", dir)), &id)
	if id.PeerID == "" || id.Addrs == nil || len(id.Addrs) != 0 {
		t.Fatalf("id without daemon: %+v", id)
	}
	evFile := writeFile(t, "labs.csv", "patient,hba1c\n1,64\n")
	evID := strings.TrimSpace(must(t, "--home", dir, "evidence", "add", evFile))
	list := must(t, "--home", dir, "evidence", "list")
	if !strings.Contains(list, evID) || !strings.Contains(list, "labs.csv") {
		t.Fatalf("evidence list: %q", list)
	}
	claimFile := writeFile(t, "claim.json", claim)
	var pub api.Published
	out := must(t, "--home", dir, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", claimFile,
		"--evidence", evID, "--period-start", "2025-01-01T00:00:00Z", "--period-end", "2025-07-01T00:00:00Z", "--json")
	if err := json.Unmarshal([]byte(out), &pub); err != nil || pub.District != "meso-valley/north" || pub.EvidenceCount != 1 {
		t.Fatalf("publish: %s %v", out, err)
	}
	var proofs []api.Proof
	json.Unmarshal([]byte(must(t, "--home", dir, "proofs", "--json", "--mip", "MIP-HLT")), &proofs)
	if len(proofs) != 1 || proofs[0].CID != pub.CID || proofs[0].Author != id.PeerID || proofs[0].Verified {
		t.Fatalf("proofs: %+v", proofs)
	}
	var log []api.LogEntry
	json.Unmarshal([]byte(must(t, "--home", dir, "log", "--json", "--author", id.DID)), &log)
	if len(log) != 1 || log[0].Kind != "proof" || log[0].Seq != 1 {
		t.Fatalf("log: %+v", log)
	}
	raw := must(t, "--home", dir, "get", pub.CID, "--raw")
	c, _ := api.ParseCID(pub.CID)
	if _, err := protocol.OpenCID(c, []byte(raw)); err != nil {
		t.Fatalf("get --raw: %v", err)
	}
	dj := must(t, "--home", dir, "get", pub.CID)
	var m map[string]any
	if err := json.Unmarshal([]byte(dj), &m); err != nil || m["kind"] != "proof" {
		t.Fatalf("get: %v %q", err, dj)
	}
	table := must(t, "--home", dir, "proofs")
	if !strings.HasPrefix(table, "CID ") || !strings.Contains(table, pub.CID) {
		t.Fatalf("proofs table: %q", table)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	dir := newHome(t)
	good := writeFile(t, "claim.json", claim)
	bad := writeFile(t, "bad.json", strings.Replace(claim, `"cohort_size": 240`, `"cohort_size": -3`, 1))
	notJSON := writeFile(t, "nj.json", "{cohort")
	pub := []string{"--home", dir, "proof", "publish", "--mip", "MIP-HLT@1"}
	fails(t, 1, "/cohort_size", append(pub, "--claim", bad)...)
	fails(t, 1, "not valid JSON", append(pub, "--claim", notJSON)...)
	fails(t, 1, "no such file", append(pub, "--claim", filepath.Join(dir, "nope.json"))...)
	fails(t, 1, "evidence 0123456789abcdef is not in the vault", append(pub, "--claim", good, "--evidence", "0123456789abcdef")...)
	fails(t, 1, "unknown MIP MIP-ZZZ@1", "--home", dir, "proof", "publish", "--mip", "MIP-ZZZ@1", "--claim", good)
	fails(t, 2, "--period-end", append(pub, "--claim", good, "--period-end", "yesterday")...)
	fails(t, 2, "required flag", "--home", dir, "proof", "publish", "--claim", good)
	fails(t, 1, "no such file", "--home", dir, "evidence", "add", filepath.Join(dir, "missing.pdf"))
	fails(t, 1, "is not a CID", "--home", dir, "get", "bafy-nonsense")
	fails(t, 1, "no entry", "--home", dir, "get", protocol.Sum([]byte("x")).String())
	fails(t, 1, "is not a multiaddr", "--home", dir, "connect", "/ip4/1.2.3/tcp/1")
	fails(t, 1, "names no peer", "--home", dir, "connect", "/ip4/127.0.0.1/tcp/1")
	fails(t, 1, "unknown MIP", "--home", dir, "mip", "show", "MIP-NOPE@1")
	fails(t, 2, "unknown command", "--home", dir, "frobnicate")
	fails(t, 2, "unknown flag", "--home", dir, "proofs", "--colour")
	fails(t, 2, "exactly one", "--home", dir, "get")
	if log := must(t, "--home", dir, "log", "--json"); strings.TrimSpace(log) != "[]" {
		t.Fatalf("bad input wrote entries: %s", log)
	}
	if ev := must(t, "--home", dir, "evidence", "list", "--json"); strings.TrimSpace(ev) != "[]" {
		t.Fatalf("bad input wrote evidence: %s", ev)
	}
}

func TestNoDaemon(t *testing.T) {
	dir := newHome(t)
	fails(t, 3, "no daemon is running", "--home", dir, "status")
	if r := runCLI(t, "--home", dir, "status"); !strings.Contains(r.stderr, "mycel daemon --home "+dir) {
		t.Fatalf("remedy does not name the home: %q", r.stderr)
	}
	fails(t, 3, "no daemon is running", "--home", dir, "connect", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf")
	fails(t, 1, "no mycel home", "--home", filepath.Join(t.TempDir(), "none"), "proofs")
	// A stale api file left by a killed daemon is ignored.
	os.WriteFile(filepath.Join(dir, "api"), []byte("127.0.0.1:1\n"), 0o600)
	must(t, "--home", dir, "proofs")
}

func TestMIPCommands(t *testing.T) {
	out := must(t, "--home", filepath.Join(t.TempDir(), "none"), "mip", "list")
	if !strings.Contains(out, "MIP-HLT@1") || !strings.Contains(out, "MIP-AGR@1") {
		t.Fatalf("mip list: %q", out)
	}
	var doc api.MIPDoc
	json.Unmarshal([]byte(must(t, "mip", "show", "MIP-HLT", "--json")), &doc)
	if doc.MIP != "MIP-HLT@1" || len(doc.Examples) == 0 || doc.Policy.Attestations == 0 {
		t.Fatalf("mip show: %+v", doc)
	}
	if v := must(t, "version"); !strings.HasPrefix(v, "mycel ") {
		t.Fatalf("version: %q", v)
	}
}
