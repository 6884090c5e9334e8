package vault_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

func TestEvidence(t *testing.T) {
	v := newBolt(t)
	content := []byte("systolic 128, diastolic 82")
	ev, err := v.AddEvidence(content, "bp reading")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Digest != sha256.Sum256(content) || ev.Size != int64(len(content)) || ev.Label != "bp reading" {
		t.Errorf("evidence %+v does not describe its content", ev)
	}
	if ev.Leaf != protocol.Leaf(ev.Salt, ev.Digest) || ev.ID != hex.EncodeToString(ev.Leaf[:8]) {
		t.Errorf("evidence leaf or ID is not derived from salt and digest")
	}
	if ev.Salt == ([protocol.SaltSize]byte{}) {
		t.Error("zero salt")
	}
	again, err := v.AddEvidence(content, "same reading")
	if err != nil {
		t.Fatal(err)
	}
	if again.Leaf == ev.Leaf {
		t.Error("same content got the same leaf: salts are not fresh")
	}
	got, data, err := v.Evidence(ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, content) || got.Leaf != ev.Leaf || !got.Added.Equal(ev.Added) {
		t.Errorf("evidence read back as %+v %q", got, data)
	}
	if _, _, err := v.Evidence("0000000000000000"); !errors.Is(err, vault.ErrNotFound) {
		t.Errorf("unknown evidence: %v, want ErrNotFound", err)
	}
	list, err := v.ListEvidence()
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %d items, %v", len(list), err)
	}
	if list[0].Added.After(list[1].Added) {
		t.Error("list is not oldest first")
	}
}
