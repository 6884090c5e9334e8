package vault_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// sweptVault returns the path of a closed vault that holds 2,000 joined
// entries of 100 authors and held 10,000 pending entries of 40 more (seq
// 2..251 each, seq 1 never came) until a Sweep past their TTL dropped
// them: their pages are free in the file.
func sweptVault(t *testing.T) string {
	t.Helper()
	c := &clock{t: time.UnixMilli(1_700_000_000_000)}
	path := filepath.Join(t.TempDir(), "vault.db")
	v, err := vault.Create(path, vault.Options{Now: c.now, Quota: vault.Quota{TTL: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	f := newFiller(t, 100)
	for f.held < 2000 {
		f.put(t, v, f.batch(t))
	}
	for range 40 {
		a := vaulttest.NewAuthor(t)
		for range 251 {
			a.Next(t, "proof", "meso/north", vaulttest.ProofBody(t, "MIP-HLT@1"))
		}
		res, err := v.Put(a.Log[1:]...)
		if err != nil || res[0].Status != vault.Pending {
			t.Fatalf("pending put: %v", err)
		}
	}
	c.add(2 * time.Hour)
	if sw, err := v.Sweep(); err != nil || sw.Entries != 10_000 {
		t.Fatalf("sweep: %+v, %v; want 10,000 entries", sw, err)
	}
	return path
}

// contents is what a vault holds, to compare before and after.
type contents struct {
	count  int
	digest [32]byte
	heads  []vault.Head
}

func readContents(t *testing.T, path string) contents {
	t.Helper()
	v, err := vault.Open(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	var c contents
	if c.count, err = v.Count(); err != nil {
		t.Fatal(err)
	}
	if c.digest, err = v.Digest(); err != nil {
		t.Fatal(err)
	}
	if c.heads, err = v.Heads(); err != nil {
		t.Fatal(err)
	}
	if _, err := v.CheckPages(); err != nil {
		t.Fatalf("page check: %v", err)
	}
	if err := v.Check(); err != nil {
		t.Fatalf("record check: %v", err)
	}
	return c
}

func sameContents(t *testing.T, got, want contents) {
	t.Helper()
	eq := func(a, b vault.Head) bool {
		return a.Author == b.Author && a.Seq == b.Seq && a.CID.Equals(b.CID) && a.Digest == b.Digest
	}
	if got.count != want.count || got.digest != want.digest || !slices.EqualFunc(got.heads, want.heads, eq) {
		t.Errorf("vault holds %d blocks (digest %x, %d heads), want %d (%x, %d heads)",
			got.count, got.digest[:4], len(got.heads), want.count, want.digest[:4], len(want.heads))
	}
}

// Compact gives back the pages a sweep freed and keeps every entry.
func TestCompactReclaimsFreePages(t *testing.T) {
	path := sweptVault(t)
	before := readContents(t, path)
	sp := measureSpace(t, path)
	if sp.free < 3<<20 {
		t.Fatalf("the sweep freed %d bytes of pages, want >= 3 MiB", sp.free)
	}
	c, err := vault.Compact(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("before %d B (%d B free pages), after %d B", c.Before, c.Free, c.After)
	if c.Before != sp.file || c.Free != sp.free {
		t.Errorf("reported %d B with %d B free, the file had %d with %d", c.Before, c.Free, sp.file, sp.free)
	}
	if c.After > c.Before-c.Free {
		t.Errorf("after compaction %d B, want <= %d (before less the free pages)", c.After, c.Before-c.Free)
	}
	after := measureSpace(t, path)
	if after.file != c.After || after.free > 8*int64(after.pages) {
		t.Errorf("compacted file: %d B with %d B free pages, want %d B and at most 8 free pages", after.file, after.free, c.After)
	}
	sameContents(t, readContents(t, path), before)
	noLeftovers(t, path)
}

// Compact refuses a vault another process holds, such as a running
// daemon, and leaves it alone.
func TestCompactRefusesHeldVault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if _, err := v.Append(v.Key(), protocol.Entry{Kind: "note", Body: vaulttest.Body(t, 1, "x")}); err != nil {
		t.Fatal(err)
	}
	sum := fileSum(t, path)
	_, err = vault.Compact(path, vault.Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, vault.ErrInUse) {
		t.Fatalf("compact of an open vault: %v, want ErrInUse", err)
	}
	if fileSum(t, path) != sum {
		t.Error("the held vault's file changed")
	}
	noLeftovers(t, path)
}

// An error at any step leaves the old file exactly as it was, and no new
// file beside it.
func TestCompactErrorKeepsOriginal(t *testing.T) {
	path := sweptVault(t)
	want := readContents(t, path)
	sum := fileSum(t, path)
	for _, step := range []string{"copied", "synced", "rename"} {
		t.Run(step, func(t *testing.T) {
			undo := vault.SetCompactFault(step, errors.New("disk on fire"))
			_, err := vault.Compact(path, vault.Options{})
			undo()
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte("disk on fire")) {
				t.Fatalf("compact with a fault at %s: %v", step, err)
			}
			if fileSum(t, path) != sum {
				t.Fatal("the vault file changed")
			}
			noLeftovers(t, path)
			sameContents(t, readContents(t, path), want)
		})
	}
}

// A new file a crashed compaction left beside the vault does not stop it
// from opening, and the next compaction removes it.
func TestCompactRemovesCrashLeftover(t *testing.T) {
	path := sweptVault(t)
	stale := path + ".compact-12345"
	if err := os.WriteFile(stale, []byte("half a bbolt file"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := readContents(t, path)
	if _, err := vault.Compact(path, vault.Options{}); err != nil {
		t.Fatal(err)
	}
	noLeftovers(t, path)
	sameContents(t, readContents(t, path), want)
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// noLeftovers fails when a file other than the vault is beside it.
func noLeftovers(t *testing.T, path string) {
	t.Helper()
	names, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n.Name() != filepath.Base(path) {
			t.Errorf("left beside the vault: %s", n.Name())
		}
	}
}
