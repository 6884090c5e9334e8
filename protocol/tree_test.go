package protocol

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
)

// The Certificate Transparency reference inputs and tree heads (RFC 6962
// test data, as published with the CT and transparency-dev code). Leaf
// hashes there are sha2-256(0x00 || data), the same prefix Leaf uses.
var (
	ctInputs = []string{"", "00", "10", "2021", "3031", "40414243",
		"5051525354555657", "606162636465666768696a6b6c6d6e6f"}
	ctRoots = []string{
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	}
	ctPaths = map[int][]string{
		0: {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
			"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
			"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
		5: {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
			"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
			"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"},
	}
)

func h32(t *testing.T, s string) [32]byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		t.Fatalf("bad hex %q", s)
	}
	return [32]byte(b)
}

func ctLeaves(t *testing.T) [][32]byte {
	var leaves [][32]byte
	for _, in := range ctInputs {
		b, _ := hex.DecodeString(in)
		leaves = append(leaves, sha256.Sum256(append([]byte{leafPrefix}, b...)))
	}
	return leaves
}

func TestRootMatchesRFC6962(t *testing.T) {
	leaves := ctLeaves(t)
	for n := 0; n <= len(leaves); n++ {
		if got := Root(leaves[:n]); got != h32(t, ctRoots[n]) {
			t.Errorf("size %d: root %x, RFC 6962 reference %s", n, got, ctRoots[n])
		}
	}
	for index, want := range ctPaths {
		path, err := Inclusion(leaves, index)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if path[i] != h32(t, want[i]) {
				t.Errorf("leaf %d path[%d] = %x, reference %s", index, i, path[i], want[i])
			}
		}
	}
}

// levelRoot is an independent reference: hash pairs level by level,
// promoting an odd last node unchanged, which yields the RFC 6962 shape.
func levelRoot(leaves [][32]byte) [32]byte {
	if len(leaves) == 0 {
		return sha256.Sum256(nil)
	}
	level := append([][32]byte(nil), leaves...)
	for len(level) > 1 {
		var next [][32]byte
		for i := 0; i+1 < len(level); i += 2 {
			next = append(next, node(level[i], level[i+1]))
		}
		if len(level)%2 == 1 {
			next = append(next, level[len(level)-1])
		}
		level = next
	}
	return level[0]
}

func testLeaves(n int) (leaves [][32]byte, salts [][SaltSize]byte, contents [][]byte) {
	for i := range n {
		var salt [SaltSize]byte
		salt[0], salt[15] = byte(i), byte(i*7+1)
		content := []byte{byte(i), 'e', 'v'}
		leaves = append(leaves, Leaf(salt, sha256.Sum256(content)))
		salts = append(salts, salt)
		contents = append(contents, content)
	}
	return
}

func TestInclusionEverySize(t *testing.T) {
	for n := 1; n <= 70; n++ {
		leaves, _, _ := testLeaves(n)
		root := Root(leaves)
		if ref := levelRoot(leaves); root != ref {
			t.Fatalf("size %d: root %x, level-by-level reference %x", n, root, ref)
		}
		for i := range n {
			path, err := Inclusion(leaves, i)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyInclusion(root, uint64(n), uint64(i), leaves[i], path); err != nil {
				t.Fatalf("size %d leaf %d: %v", n, i, err)
			}
			// Every other position and every other count must fail.
			if i+1 < n {
				if VerifyInclusion(root, uint64(n), uint64(i+1), leaves[i], path) == nil {
					t.Fatalf("size %d: leaf %d verified at index %d", n, i, i+1)
				}
			}
		}
	}
}

// TestLastLeafFixesCount: the root alone does not bind the count (RFC 6962
// signs the tree size beside the root, and so does a proof), but the audit
// path of the last leaf is valid for exactly one count. A verifier who
// doubts a proof's count asks for its last item.
func TestLastLeafFixesCount(t *testing.T) {
	for n := 1; n <= 70; n++ {
		leaves, _, _ := testLeaves(n)
		root := Root(leaves)
		last := n - 1
		path, _ := Inclusion(leaves, last)
		for other := 1; other <= 80; other++ {
			err := VerifyInclusion(root, uint64(other), uint64(last), leaves[last], path)
			if other == n && err != nil {
				t.Fatalf("size %d: last leaf: %v", n, err)
			}
			if other != n && err == nil {
				t.Fatalf("size %d: last leaf verified with count %d", n, other)
			}
		}
	}
	// Earlier leaves can line up with a larger count: leaf 0 of 3 has the
	// same path shape as leaf 0 of 4. Pinned here so nobody relies on it.
	leaves, _, _ := testLeaves(3)
	path, _ := Inclusion(leaves, 0)
	if VerifyInclusion(Root(leaves), 4, 0, leaves[0], path) != nil {
		t.Fatal("leaf 0 of 3 no longer verifies as leaf 0 of 4: update the spec")
	}
}

func TestInclusionBadArguments(t *testing.T) {
	leaves, _, _ := testLeaves(3)
	for _, i := range []int{-1, 3} {
		if _, err := Inclusion(leaves, i); !errors.Is(err, ErrBadCommitment) {
			t.Errorf("Inclusion(%d) = %v, want ErrBadCommitment", i, err)
		}
	}
	root := Root(leaves)
	if err := VerifyInclusion(root, 0, 0, leaves[0], nil); !errors.Is(err, ErrBadCommitment) {
		t.Errorf("count 0: %v", err)
	}
	if err := VerifyInclusion(root, MaxEvidence+1, 0, leaves[0], nil); !errors.Is(err, ErrBadCommitment) {
		t.Errorf("count over MaxEvidence: %v", err)
	}
	if err := VerifyInclusion(root, 3, 3, leaves[0], nil); !errors.Is(err, ErrBadCommitment) {
		t.Errorf("index past count: %v", err)
	}
}

// TestInteriorNodeIsNoLeaf is the second-preimage attack: present the
// node over leaves 0 and 1 as if it were a leaf, with the rest of the path.
func TestInteriorNodeIsNoLeaf(t *testing.T) {
	leaves, _, _ := testLeaves(4)
	root := Root(leaves)
	inner := node(leaves[0], leaves[1])
	rest := [][32]byte{node(leaves[2], leaves[3])}
	if err := VerifyInclusion(root, 4, 0, inner, rest); !errors.Is(err, ErrBadCommitment) {
		t.Fatalf("interior node accepted as leaf 0 of 4: %v", err)
	}
	// Against a claimed count of 2 the hashes line up, which is why the
	// count is committed in the proof and disclosures check against it.
	if err := VerifyInclusion(root, 2, 0, inner, rest); err != nil {
		t.Fatalf("sanity: count 2 should line up: %v", err)
	}
	c := Commitment{Root: root[:], Count: 4}
	// A disclosure cannot present a bare hash: its leaf is always
	// sha2-256(0x00 || salt || sha2-256(content)), never an interior node.
	d := Disclosure{Content: append(leaves[0][:], leaves[1][:]...), Index: 0, Path: rest}
	if err := d.Verify(c); !errors.Is(err, ErrBadCommitment) {
		t.Fatalf("interior node disclosed as content: %v", err)
	}
}
