package node

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// TestEvidenceStaysLocal: invariant 1. A proof committing to evidence
// reaches another peer by gossip and sync and leaves by bundle, but the
// evidence's content and salt appear in no byte that left its vault.
func TestEvidenceStaysLocal(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	va := newVault(t)
	content := make([]byte, 64)
	if _, err := rand.Read(content); err != nil {
		t.Fatal(err)
	}
	ev, err := va.AddEvidence(content, "lab extracts")
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(ctx, Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true}, va)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b := peerNode(t)
	evB, stop := b.Subscribe(256)
	defer stop()
	connect(t, ctx, a, b)

	proof := hltProof(t, 1)
	root := protocol.Root([][32]byte{ev.Leaf})
	proof.Evidence = protocol.Commitment{Root: root[:], Count: 1}
	blk := publish(t, ctx, a, protocol.KindProof, proof)
	waitFor(t, ctx, evB, "the proof on B", storedCID(blk.CID))

	secrets := map[string][]byte{"content": content, "salt": ev.Salt[:], "content digest": ev.Digest[:]}
	leaked := func(where string, data []byte) {
		for name, s := range secrets {
			if bytes.Contains(data, s) {
				t.Fatalf("the evidence's %s left its vault in %s", name, where)
			}
		}
	}
	held, err := b.store.Query(vault.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range held {
		leaked("entry "+h.CID.String()+" on B", h.Data)
	}
	if items, err := b.store.(*vault.Bolt).ListEvidence(); err != nil || len(items) != 0 {
		t.Fatalf("B's vault holds evidence: %v, %v", items, err)
	}
	var car bytes.Buffer
	if _, err := a.Export(&car, bundle.Filter{}, nil); err != nil {
		t.Fatal(err)
	}
	leaked("a bundle from A", car.Bytes())
}
