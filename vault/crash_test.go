package vault_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// crashEnv names the vault the crash child writes to.
const crashEnv = "MYCEL_VAULT_CRASH_PATH"

// crashCycles is how many times TestCrash kills a writer: the issue asks
// for at least 50 in CI.
const crashCycles = 50

// TestCrash kills a process with SIGKILL while it writes to a vault, at a
// random point (after a random number of committed batches, mid-way
// through the next), then reopens the vault and checks that it is
// consistent and holds every batch any child saw committed. It repeats
// this crashCycles times on the same vault (5 with -short).
func TestCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	cycles := crashCycles
	if testing.Short() {
		cycles = 5
	}
	var committed []cid.Cid
	for cycle := range cycles {
		committed = append(committed, crashOnce(t, path, 1+rand.IntN(4))...)
		checkAfterCrash(t, path, cycle, committed)
	}
}

// crashOnce starts a writer child on path, lets it commit n batches and
// kills it; it returns the CIDs of the committed batches.
func crashOnce(t *testing.T, path string, n int) []cid.Cid {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := readCommits(t, bufio.NewScanner(out), n)
	cmd.Process.Signal(syscall.SIGKILL)
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("child exit: %v, want killed", err)
	}
	return committed
}

// checkAfterCrash reopens the vault and checks it is consistent and holds
// every committed entry.
func checkAfterCrash(t *testing.T, path string, cycle int, committed []cid.Cid) {
	t.Helper()
	v, err := vault.Open(path, vault.Options{})
	if err != nil {
		t.Fatalf("cycle %d: %v", cycle, err)
	}
	defer v.Close()
	if err := v.Check(); err != nil {
		t.Fatalf("cycle %d: %v", cycle, err)
	}
	for _, c := range committed {
		if ok, err := v.Has(c); !ok || err != nil {
			t.Fatalf("cycle %d: committed entry %s lost: %v", cycle, c, err)
		}
	}
	if n, _ := v.Count(); n == 0 {
		t.Fatalf("cycle %d: no joined entries after the crash", cycle)
	}
}

// readCommits reads the child's "committed <cid>..." lines until it has n.
func readCommits(t *testing.T, sc *bufio.Scanner, n int) []cid.Cid {
	var out []cid.Cid
	for lines := 0; lines < n; lines++ {
		if !sc.Scan() {
			t.Fatalf("child stopped after %d batches: %v", lines, sc.Err())
		}
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || fields[0] != "committed" {
			lines--
			continue // go test's own output
		}
		for _, f := range fields[1:] {
			c, err := cid.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
	}
	return out
}

// TestCrashChild runs only as TestCrash's child: it writes batches until
// killed, printing each batch's CIDs once the batch is committed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("runs only as TestCrash's child")
	}
	v, err := vault.Open(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	authors := []*vaulttest.Author{vaulttest.NewAuthor(t), vaulttest.NewAuthor(t), vaulttest.NewAuthor(t)}
	for round := 0; ; round++ {
		batch := crashBatch(t, authors, round)
		if _, err := v.Put(batch...); err != nil {
			t.Fatal(err)
		}
		own, err := v.Append(v.Key(), protocol.Entry{Kind: "note", Body: vaulttest.Body(t, uint64(round), "own")})
		if err != nil {
			t.Fatal(err)
		}
		line := []string{"committed", own.CID.String()}
		for _, b := range batch {
			line = append(line, b.CID.String())
		}
		fmt.Println(strings.Join(line, " "))
	}
}

// crashBatch makes 30 entries per author in reverse order, so that most
// arrive as pending and join in a cascade, plus a fork every third round.
func crashBatch(t *testing.T, authors []*vaulttest.Author, round int) []protocol.Block {
	var batch []protocol.Block
	for _, a := range authors {
		var chunk []protocol.Block
		for range 30 {
			chunk = append(chunk, a.Next(t, "proof", "meso/north", vaulttest.ProofBody(t, "MIP-HLT@1")))
		}
		for i := len(chunk) - 1; i >= 0; i-- {
			batch = append(batch, chunk[i])
		}
		if round%3 == 0 {
			n := len(a.Log)
			batch = append(batch, a.Branch(t, uint64(n), a.Log[n-2].CID, fmt.Sprint("fork ", round)))
		}
	}
	return batch
}
