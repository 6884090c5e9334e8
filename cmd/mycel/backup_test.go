package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/vault"
)

// failsWith is fails that also checks the remedy line.
func failsWith(t *testing.T, code int, cause, remedy string, args ...string) {
	t.Helper()
	fails(t, code, cause, args...)
	r := runCLI(t, args...)
	if !strings.Contains(r.stderr, remedy) {
		t.Fatalf("mycel %s: stderr %q, want the remedy %q", strings.Join(args, " "), r.stderr, remedy)
	}
}

func homeID(t *testing.T, dir string) string {
	t.Helper()
	var id api.Identity
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "id", "--json")), &id); err != nil {
		t.Fatal(err)
	}
	return id.PeerID
}

func marks(t *testing.T, dir string) map[vault.Mark]bool {
	t.Helper()
	v, err := vault.Open(filepath.Join(dir, "vault.db"), vault.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	m, err := v.Marks()
	if err != nil {
		t.Fatal(err)
	}
	out := map[vault.Mark]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// A home without config.toml or api.token is repaired in place, keeping
// its identity; the remedies name the repair, not a new home.
func TestInitRepair(t *testing.T) {
	dir := newHome(t)
	id := homeID(t, dir)
	os.Remove(filepath.Join(dir, "config.toml"))
	failsWith(t, 1, "no config.toml", "mycel init --repair", "--home", dir, "proofs")
	failsWith(t, 1, "no config.toml", "mycel init --repair", "--home", dir, "daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0")
	failsWith(t, 1, "already exists", "mycel init --repair", "--home", dir, "init")
	out := must(t, "--home", dir, "init", "--repair", "--district", "meso-valley/north")
	if !strings.Contains(out, "config.toml") || strings.Contains(out, "api.token") {
		t.Fatalf("repair of a missing config: %q", out)
	}
	if got := homeID(t, dir); got != id {
		t.Fatalf("repair changed the identity: %s, was %s", got, id)
	}
	os.Remove(filepath.Join(dir, "api.token"))
	failsWith(t, 1, "api token", "mycel init --repair", "--home", dir, "daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0")
	var rep Repaired
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "init", "--repair", "--json")), &rep); err != nil || len(rep.Wrote) != 1 || rep.Wrote[0] != "api.token" || rep.PeerID != id {
		t.Fatalf("repair of a missing token: %+v %v", rep, err)
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, "config.toml"))
	if !strings.Contains(must(t, "--home", dir, "init", "--repair"), "nothing to repair") {
		t.Fatal("repair of a whole home did something")
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "config.toml")); !bytes.Equal(cfg, again) {
		t.Fatal("repair rewrote an existing config.toml")
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.Mkdir(empty, 0o700)
	failsWith(t, 1, "nothing to repair", "mycel restore FILE", "--home", empty, "init", "--repair")
}

// init says whether the key is encrypted; passphrase set adds one, and
// from then on writes need it.
func TestPassphraseSet(t *testing.T) {
	t.Setenv("MYCEL_PASSPHRASE", "")
	dir := filepath.Join(t.TempDir(), "home")
	if out := must(t, "--home", dir, "init"); !strings.Contains(out, "stored unencrypted") || !strings.Contains(out, "mycel passphrase set") {
		t.Fatalf("init without a passphrase: %q", out)
	}
	id := homeID(t, dir)
	fails(t, 2, "no new passphrase", "--home", dir, "passphrase", "set")
	newPass := writeFile(t, "new", "tr0ub4dor\n")
	must(t, "--home", dir, "passphrase", "set", "--new-passphrase-file", newPass)
	ev := writeFile(t, "ev.txt", "x")
	fails(t, 1, "encrypted", "--home", dir, "evidence", "add", ev)
	must(t, "--home", dir, "--passphrase-file", newPass, "evidence", "add", ev)
	other := writeFile(t, "other", "correct horse\n")
	fails(t, 1, "wrong passphrase", "--home", dir, "--passphrase-file", other, "passphrase", "set", "--new-passphrase-file", other)
	must(t, "--home", dir, "--passphrase-file", newPass, "passphrase", "set", "--new-passphrase-file", other)
	must(t, "--home", dir, "--passphrase-file", other, "evidence", "add", ev)
	if homeID(t, dir) != id {
		t.Fatal("passphrase set changed the identity")
	}
}

// A backup of a home with an encrypted key is age-encrypted; restore
// makes a new home with the same identity and entries, marked restored,
// and refuses an existing home or a wrong passphrase. The backup is
// recorded in the vault.
func TestBackupRestore(t *testing.T) {
	pass := writeFile(t, "pass", "correct horse\n")
	t.Setenv("MYCEL_PASSPHRASE", "")
	dir := filepath.Join(t.TempDir(), "home")
	must(t, "--home", dir, "--passphrase-file", pass, "init")
	cid := strings.TrimSpace(must(t, "--home", dir, "--passphrase-file", pass, "proof", "publish", "--no-evidence", "--mip", "MIP-HLT@1", "--claim", writeFile(t, "claim.json", claim)))
	file := filepath.Join(t.TempDir(), "home.backup")
	failsWith(t, 1, "must be too", "--passphrase-file", "--home", dir, "backup", file)
	must(t, "--home", dir, "--passphrase-file", pass, "backup", file)
	if data, _ := os.ReadFile(file); !bytes.HasPrefix(data, []byte("age-encryption.org/")) {
		t.Fatal("the backup of an encrypted key is not an age file")
	}
	if !marks(t, dir)[vault.MarkBackup] {
		t.Fatal("the backup is not recorded in the vault")
	}
	fails(t, 1, "already exists", "--home", dir, "--passphrase-file", pass, "restore", file)
	wrong := writeFile(t, "wrong", "battery staple\n")
	fresh := filepath.Join(t.TempDir(), "restored")
	fails(t, 1, "wrong passphrase", "--home", fresh, "--passphrase-file", wrong, "restore", file)
	fails(t, 1, "is encrypted", "--home", fresh, "restore", file)
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Fatal("a refused restore left a home behind")
	}
	out := must(t, "--home", fresh, "--passphrase-file", pass, "restore", file)
	if !strings.Contains(out, "--trust-head") {
		t.Fatalf("restore does not say how the first write waits: %q", out)
	}
	if homeID(t, fresh) != homeID(t, dir) || !strings.Contains(must(t, "--home", fresh, "proofs"), cid) {
		t.Fatal("the restored home lacks the identity or the proof")
	}
	if !marks(t, fresh)[vault.MarkRestored] {
		t.Fatal("the restored home is not marked restored")
	}
	bad := writeFile(t, "bad", "not a vault at all, only text")
	fails(t, 1, "not a whole mycel backup", "--home", filepath.Join(t.TempDir(), "x"), "restore", bad)
}

// A plain home's backup is plain (with a warning); - streams it.
func TestBackupPlain(t *testing.T) {
	t.Setenv("MYCEL_PASSPHRASE", "")
	dir := newHome(t)
	r := runCLI(t, "--home", dir, "backup", "-")
	if r.code != 0 || !strings.Contains(r.stderr, "not encrypted") {
		t.Fatalf("backup -: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := vault.Open(writeFile(t, "copy.db", r.stdout), vault.Options{ReadOnly: true}); err != nil {
		t.Fatalf("the streamed backup is not a vault: %v", err)
	}
	fresh := filepath.Join(t.TempDir(), "restored")
	must(t, "--home", fresh, "restore", "--trust-head", writeFile(t, "copy2.db", r.stdout))
	if marks(t, fresh)[vault.MarkRestored] {
		t.Fatal("restore --trust-head marked the home restored")
	}
}

// key export writes an age file; key import makes a new home with the
// same identity, marked restored.
func TestKeyExportImport(t *testing.T) {
	t.Setenv("MYCEL_PASSPHRASE", "")
	dir := newHome(t)
	file := filepath.Join(t.TempDir(), "key.age")
	failsWith(t, 1, "no passphrase", "--passphrase-file", "--home", dir, "key", "export", file)
	pass := writeFile(t, "pass", "correct horse\n")
	must(t, "--home", dir, "--passphrase-file", pass, "key", "export", file)
	if data, _ := os.ReadFile(file); !bytes.HasPrefix(data, []byte("age-encryption.org/")) {
		t.Fatal("the key export is not an age file")
	}
	if !marks(t, dir)[vault.MarkKeyExport] {
		t.Fatal("the key export is not recorded in the vault")
	}
	fails(t, 1, "already exists", "--home", dir, "--passphrase-file", pass, "key", "import", file)
	fresh := filepath.Join(t.TempDir(), "imported")
	must(t, "--home", fresh, "--passphrase-file", pass, "key", "import", file)
	if homeID(t, fresh) != homeID(t, dir) || !marks(t, fresh)[vault.MarkRestored] {
		t.Fatal("the imported home lacks the identity or the restored mark")
	}
	fails(t, 1, "not a mycel key export", "--home", filepath.Join(t.TempDir(), "x"), "--passphrase-file", pass, "key", "import", writeFile(t, "junk", "junk"))
}
