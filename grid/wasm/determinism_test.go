package wasm_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/mesocosm/mycel/grid/wasm"
)

// TestDeterminismRules checks the raw clock and random values a job sees
// against the rules, computed here from their description:
//
//	seed(use)  = SHA-256("mycel/grid/wasm/1 " || use || 0x00 || job)
//	wall start = 1e9 + LE64(seed("clock")[0:8]) mod 1e9 seconds,
//	             plus LE64(seed("clock")[8:16]) mod 1e9 ns
//	mono start = LE64(seed("clock")[16:24]) mod 2^40 ns
//	each reading of either clock first advances both by wasm.Step ns
//	random bytes: ChaCha8 keyed with seed("rand")
func TestDeterminismRules(t *testing.T) {
	r := shared(t)
	for _, id := range []string{"job-a", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"} {
		o := run(t, r, wasm.Spec{Job: []byte(id), Module: clockModule()})
		if o.Err != "" || len(o.Stdout) != 32 {
			t.Fatalf("%s: %+v", id, o)
		}
		clock := seedOf("clock", id)
		wall := (1e9+binary.LittleEndian.Uint64(clock[0:])%1e9)*1e9 + binary.LittleEndian.Uint64(clock[8:])%1e9 + wasm.Step
		mono := binary.LittleEndian.Uint64(clock[16:])%(1<<40) + 2*wasm.Step
		random := make([]byte, 16)
		rand.NewChaCha8(seedOf("rand", id)).Read(random)
		if got := binary.LittleEndian.Uint64(o.Stdout[0:]); got != wall {
			t.Errorf("%s: wall clock %d, want %d", id, got, wall)
		}
		if got := binary.LittleEndian.Uint64(o.Stdout[8:]); got != mono {
			t.Errorf("%s: monotonic clock %d, want %d", id, got, mono)
		}
		if got := o.Stdout[16:]; !bytes.Equal(got, random) {
			t.Errorf("%s: random bytes %x, want %x", id, got, random)
		}
	}
}

func seedOf(use, job string) [32]byte {
	return sha256.Sum256([]byte("mycel/grid/wasm/1 " + use + "\x00" + job))
}
