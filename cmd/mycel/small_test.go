package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
)

// TestVersionFlag: `mycel --version` prints the version line of `mycel
// version`, and a build with VCS data names its revision.
func TestVersionFlag(t *testing.T) {
	flag, cmd := must(t, "--version"), must(t, "version")
	if flag != cmd || !strings.HasPrefix(flag, "mycel ") {
		t.Fatalf("--version %q, version %q", flag, cmd)
	}
	v := Version{Version: "v0.3.0", Go: "go1.26", Platform: "linux/arm64", Revision: "0123456789abcdef0123", Modified: true}
	if got, want := versionLine(v), "mycel v0.3.0 (go1.26, linux/arm64, revision 0123456789ab with local changes)"; got != want {
		t.Fatalf("version line %q, want %q", got, want)
	}
}

// TestDidYouMean: a mistyped command or flag is a usage error that names
// the nearest ones.
func TestDidYouMean(t *testing.T) {
	fails(t, exitUsage, `unknown command "stauts" for mycel: did you mean status?`, "stauts")
	fails(t, exitUsage, `unknown command "improt" for mycel bundle: did you mean import?`, "bundle", "improt")
	fails(t, exitUsage, "unknown flag: --jsn: did you mean --json?", "status", "--jsn")
	fails(t, exitUsage, "unknown flag: --autor: did you mean --author?", "proofs", "--autor", "x")
	fails(t, exitUsage, `unknown command "zzzzzz" for mycel (see: mycel --help)`, "zzzzzz")
}

// TestRefusedToken: a daemon that refuses the token in api.token (it
// changed since the daemon started) is said to, with the remedy, not
// taken for no daemon at all.
func TestRefusedToken(t *testing.T) {
	dir := newHome(t)
	startDaemon(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "api.token"), []byte(strings.Repeat("ab", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fails(t, exitError, "refused the token in", "--home", dir, "status")
	r := runCLI(t, "--home", dir, "status")
	// mycel shutdown would be refused the same way: the remedy stops the
	// daemon by the process ID in its lock file.
	want := fmt.Sprintf("mycel: restart the daemon so that it reads the token again: stop it with kill %d (mycel shutdown needs the token it started with), then mycel daemon --home %s", os.Getpid(), dir)
	if !strings.Contains(r.stderr, want) {
		t.Fatalf("remedy: %q, want %q", r.stderr, want)
	}
	fails(t, exitError, "refused the token in", "--home", dir, "shutdown")
}

// TestShutdownCommand: `mycel shutdown` stops the daemon cleanly (it
// removes its api file) and says so; without a daemon it exits 3.
func TestShutdownCommand(t *testing.T) {
	dir := newHome(t)
	startDaemon(t, dir) // its cleanup checks the exit code: 0 for a clean stop
	out := must(t, "--home", dir, "shutdown")
	if out != "daemon on "+dir+" stopped\n" {
		t.Fatalf("shutdown said %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "api")); !os.IsNotExist(err) {
		t.Fatalf("api file after shutdown: %v", err)
	}
	fails(t, exitNoDaemon, "no daemon is running", "--home", dir, "shutdown")
}

// TestYouAndPeerIDs: tables mark this peer's own ID "(you)" (with and
// without a daemon), and `get` shows the author as a peer ID, not bytes.
func TestYouAndPeerIDs(t *testing.T) {
	dir := newHome(t)
	var id api.Identity
	json.Unmarshal([]byte(must(t, "--home", dir, "id", "--json")), &id)
	c := strings.TrimSpace(must(t, "--home", dir, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", writeFile(t, "c.json", claim), "--no-evidence"))
	check := func(how string) {
		for _, cmd := range [][]string{{"proofs"}, {"log"}} {
			out := must(t, append([]string{"--home", dir}, cmd...)...)
			if !strings.Contains(out, short(id.PeerID)+" (you)") {
				t.Errorf("%s %s: no (you) marker: %q", cmd[0], how, out)
			}
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(must(t, "--home", dir, "get", c)), &m); err != nil || m["author"] != id.PeerID {
			t.Errorf("get %s: author %v (%v), want %s", how, m["author"], err, id.PeerID)
		}
	}
	check("without a daemon")
	startDaemon(t, dir)
	check("through the daemon")
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 4352: "4,352", 1234567: "1,234,567", -12345: "-12,345"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestEmptyHomeFlag: --home "" (a script's unset variable) is a usage
// error, not the default home; nothing is created.
func TestEmptyHomeFlag(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("MYCEL_HOME", "")
	fails(t, exitUsage, "--home is empty", "init", "--home", "")
	fails(t, exitUsage, "--home is empty", "--home=", "id")
	if _, err := os.Stat(filepath.Join(os.Getenv("HOME"), ".mycel")); err == nil {
		t.Fatal("an empty --home created the default home")
	}
}
