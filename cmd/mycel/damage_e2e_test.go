package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// realHome makes a home with a proof, evidence and a few hundred notes,
// all written by the real code, and returns it and the proof's CID.
func realHome(t *testing.T, e *e2e) (string, string) {
	t.Helper()
	h := e.home("real")
	e.mycel(h, "init", "--district", "meso-valley/north")
	e.mycel(h, "evidence", "add", writeFile(t, "scan.txt", strings.Repeat("scan ", 2000)))
	proof := e.publish(h, writeFile(t, "claim.json", claim))
	v, err := vault.Open(filepath.Join(h, "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if _, err := v.Append(v.Key(), protocol.Entry{Kind: "note", District: "meso-valley/north", Body: vaulttest.Body(t, uint64(i+1), strings.Repeat("n", 500))}); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	return h, proof
}

// copyHome copies the home src to a new directory with its vault damaged.
func copyHome(t *testing.T, src string, d vaulttest.Damage) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "home")
	if err := os.Mkdir(dst, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config.toml", "api.token"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, f), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	vaulttest.DamageCopy(t, filepath.Join(src, "vault.db"), filepath.Join(dst, "vault.db"), d)
	return dst
}

// runDamaged runs the binary and checks that it failed safely: exit 4,
// nothing on stdout, one line on stderr naming the damaged page and the
// remedy, no sign of a fault or a stack.
func (e *e2e) runDamaged(home string, args ...string) {
	e.t.Helper()
	if out := e.runDamagedOut(home, args...); out != "" {
		e.t.Errorf("mycel %s printed data from a damaged vault: %q", strings.Join(args, " "), out)
	}
}

// runDamagedOut is runDamaged for a command that reports on stdout.
func (e *e2e) runDamagedOut(home string, args ...string) string {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.bin, append([]string{"--home", home}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitDamaged {
		e.t.Fatalf("mycel %s: %v, want exit %d; stderr %q", strings.Join(args, " "), err, exitDamaged, errb.String())
	}
	msg := errb.String()
	if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "mycel: vault.db is damaged at page ") || !strings.Contains(msg, "restore a backup: mycel restore FILE") {
		e.t.Errorf("mycel %s: stderr %q, want one line naming the page and the remedy", strings.Join(args, " "), msg)
	}
	for _, bad := range []string{"goroutine", "panic", "SIGSEGV", "SIGBUS", "fault address"} {
		if strings.Contains(msg, bad) {
			e.t.Errorf("mycel %s: stderr shows %q: %q", strings.Join(args, " "), bad, msg)
		}
	}
	return out.String()
}

// Every read command and the daemon, run on copies of a real vault
// damaged in several ways, fail safely.
func TestDamagedVaultE2E(t *testing.T) {
	e := newE2E(t)
	src, proof := realHome(t, e)
	reads := [][]string{
		{"id"}, {"proofs"}, {"log"}, {"evidence", "list"}, {"get", proof}, {"balance"},
		{"receipts"}, {"ledger"}, {"proofs", "--json"}, {"mip", "list"}, {"backup", "-"},
		{"--passphrase-file", writeFile(t, "pass", "correct horse"), "key", "export", "-"},
	}
	daemon := []string{"daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0", "--no-mdns", "--no-port-map"}
	for _, d := range vaulttest.Damages {
		t.Run(d.Name, func(t *testing.T) {
			e := &e2e{t: t, bin: e.bin, dir: e.dir}
			h := copyHome(t, src, d)
			for _, args := range reads {
				e.runDamaged(h, args...)
			}
			e.runDamaged(h, daemon...)
			if out := e.runDamagedOut(h, "vault", "check"); !strings.HasPrefix(out, "pages    FAIL") {
				t.Errorf("vault check: %q, want the page check to fail", out)
			}
			if out := e.runDamagedOut(h, "vault", "check", "--json"); !strings.Contains(out, `"ok": false`) || !strings.Contains(out, `"damaged_page"`) {
				t.Errorf("vault check --json: %q, want ok false and the damaged page", out)
			}
		})
	}
}

// A vault cut short under a running daemon (a disk failing while it
// runs): the next read through the API faults inside the daemon, which
// then stops serving, prints one line and exits 4; the command that
// asked fails without printing data.
func TestDaemonVaultCutShortE2E(t *testing.T) {
	e := newE2E(t)
	src, _ := realHome(t, e)
	d := e.start(src)
	if err := os.Truncate(filepath.Join(src, "vault.db"), 16<<10); err != nil {
		t.Fatal(err)
	}
	code, out, _ := e.run(src, "proofs")
	if code == 0 || out != "" {
		t.Fatalf("proofs through a daemon whose vault was cut short: exit %d, stdout %q", code, out)
	}
	exited := make(chan error, 1)
	go func() { <-d.drained; exited <- d.cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(60 * time.Second):
		t.Fatal("the daemon still serves a vault it found damaged")
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitDamaged {
		t.Fatalf("daemon: %v, want exit %d", err, exitDamaged)
	}
}
