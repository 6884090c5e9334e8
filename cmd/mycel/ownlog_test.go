package main

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// TestDaemonWarnsWhenFlagged: once a fork of the peer's own author is
// stored, the daemon prints one warning line with the remedy.
func TestDaemonWarnsWhenFlagged(t *testing.T) {
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	n, err := node.NewOffline(context.Background(), node.Config{}, v)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	r, w := io.Pipe()
	defer r.Close()
	a := &app{stderr: w}
	stop := a.warnOwnLog(n)
	defer stop()
	var fork []protocol.Block
	for _, note := range []string{"one", "other"} {
		body, _ := protocol.EncodeBody(&protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte(note))), Verdict: protocol.Valid})
		b, err := protocol.Sign(v.Key(), protocol.Entry{Kind: protocol.KindAttest, District: "meso-valley/north", Seq: 1, Time: 1, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		fork = append(fork, b)
	}
	if _, err := n.Ingest(fork...); err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(r)
		s.Scan()
		line <- s.Text()
	}()
	select {
	case l := <-line:
		if !strings.HasPrefix(l, "WARNING: ") || !strings.Contains(l, "forked") || !strings.Contains(l, "new identity") {
			t.Fatalf("daemon warning %q", l)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no warning after the own author was flagged")
	}
}
