package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/cmd/mycel/internal/doctor"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

func (e *e2e) doctor(home string) (int, Doctor) {
	e.t.Helper()
	code, out, stderr := e.run(home, "doctor", "--json")
	var d Doctor
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		e.t.Fatalf("doctor --json: %v: %q %q", err, out, stderr)
	}
	return code, d
}

func check(t *testing.T, d Doctor, name string) doctor.Result {
	t.Helper()
	for _, r := range d.Checks {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("doctor has no %s check: %+v", name, d.Checks)
	return doctor.Result{}
}

// doctor on real homes: a stopped home with its port taken fails the
// ports check (exit 1); a damaged vault fails the vault check; a running
// daemon is dialled and its vault checked; a backup turns the backup
// warning ok.
func TestDoctorE2E(t *testing.T) {
	e := newE2E(t)
	h := e.home("a")
	e.mycel(h, "init")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	cfgPath := filepath.Join(h, "config.toml")
	cfg, _ := os.ReadFile(cfgPath)
	held := strings.Replace(string(cfg), `"/ip4/0.0.0.0/tcp/4811"`, `"/ip4/127.0.0.1/tcp/`+port+`"`, 1)
	held = strings.Replace(held, `"127.0.0.1:5811"`, `"127.0.0.1:0"`, 1)
	os.WriteFile(cfgPath, []byte(held), 0o600)
	code, d := e.doctor(h)
	if r := check(t, d, "ports"); code != 1 || r.Status != doctor.Fail || !strings.Contains(r.Detail, port) || r.Remedy == "" {
		t.Fatalf("doctor with the listen port taken: exit %d, %+v", code, r)
	}
	busy.Close()
	code, d = e.doctor(h)
	if code != 0 || check(t, d, "ports").Status != doctor.OK || check(t, d, "vault").Status != doctor.OK || check(t, d, "backup").Status != doctor.Warn {
		t.Fatalf("doctor on a stopped, whole home: exit %d, %+v", code, d)
	}

	damaged := copyHome(t, h, vaulttest.Damages[0])
	code, d = e.doctor(damaged)
	if r := check(t, d, "vault"); code != 1 || r.Status != doctor.Fail || !strings.Contains(r.Detail, "damaged at page") || strings.Contains(r.Detail, "restore") {
		t.Fatalf("doctor on a damaged vault: exit %d, %+v", code, r)
	}

	daemon := e.start(h)
	e.mycel(h, "backup", filepath.Join(e.dir, "a.backup"))
	code, d = e.doctor(h)
	// The test daemon listens on 127.0.0.1 only: dialled, and found not
	// on the LAN.
	if r := check(t, d, "ports"); r.Status != doctor.Warn || !strings.Contains(r.Detail, "loopback only") {
		t.Errorf("doctor with a loopback-only daemon: %s", r)
	}
	for _, name := range []string{"vault", "backup", "config", "pins"} {
		if r := check(t, d, name); r.Status != doctor.OK {
			t.Errorf("doctor with the daemon running: %s", r)
		}
	}
	if r := check(t, d, "dht"); r.Status == doctor.Skip {
		t.Errorf("doctor with the daemon running skips the DHT: %s", r)
	}
	if code != 0 {
		t.Errorf("doctor with the daemon running: exit %d", code)
	}
	if out := e.mycel(h, "vault", "check", "--json"); !strings.Contains(out, `"via": "daemon"`) || !strings.Contains(out, `"pages_ok": true`) {
		t.Errorf("vault check with the daemon running: %s", out)
	}
	daemon.stop(t)
	if out := e.mycel(h, "vault", "check", "--json"); !strings.Contains(out, `"via": "vault"`) || !strings.Contains(out, `"records_ok": true`) {
		t.Errorf("vault check with the daemon stopped: %s", out)
	}
}
