package vault

import (
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/protocol"
)

// digestOf reads the payload digest off the block bytes; it must equal
// protocol.IDOf's for every integer width of seq (seq 1 has no prev).
func TestDigestOfMatchesIDOf(t *testing.T) {
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := protocol.Sign(key, protocol.Entry{Seq: 1, Kind: "note", Body: []byte{0xa0}})
	if err != nil {
		t.Fatal(err)
	}
	var scratch []byte
	for _, seq := range []uint64{1, 2, 23, 24, 255, 256, 65535, 65536, 1<<32 - 1, 1 << 32, 1<<64 - 1} {
		for _, district := range []string{"", "meso/north"} {
			e := protocol.Entry{Seq: seq, Time: int64(seq % (1 << 62)), Kind: "proof", District: district, Body: []byte{0xa0}}
			if seq > 1 {
				e.Prev = first.CID
			}
			blk, err := protocol.Sign(key, e)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, ok := sigPair(blk.Data); !ok {
				t.Fatalf("seq %d: no sig pair found", seq)
			}
			var got [32]byte
			if got, scratch, err = digestOf(blk, scratch); err != nil {
				t.Fatal(err)
			}
			if want := blk.ID().Digest; got != want {
				t.Errorf("seq %d district %q: digest %x, want %x", seq, district, got, want)
			}
		}
	}
}

// Bytes of another shape fall back to re-encoding the entry.
func TestSigPairRejectsOtherShapes(t *testing.T) {
	for _, d := range [][]byte{nil, {0xa0}, {0x80}, {0xa2, 0x61, 'v', 0x01}, {0xa3, 0x61, 'v', 0x01, 0x63, 's', 'e', 'q', 0x01, 0x63, 's', 'i', 'g', 0x58, 0x40}} {
		if _, _, ok := sigPair(d); ok {
			t.Errorf("sigPair(%x) found a pair", d)
		}
	}
}
