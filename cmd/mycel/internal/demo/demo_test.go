package demo

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// TestRun runs the whole demo district and checks the story's outcome:
// two proofs verified and paid, one refused, a double payment flagged on
// every peer, every peer on one ledger.
func TestRun(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreAnyFunction("github.com/ipfs/go-log/v2/writer.(*MirrorWriter).logRoutine"))
	var out bytes.Buffer
	if err := Run(context.Background(), &out, Options{Dir: t.TempDir()}); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"2 of 2 valid attestations -> VERIFIED",
		"1 of 2 valid attestations -> not verified",
		"funder pays clinic 5000 credit (covered: true)",
		"funder pays farm 3000 credit (covered: true)",
		"newcomer caught up by sync",
		"the school's node holds both receipts",
		"flag stall",
		"0 known, 0 rejected",
		"All 9 peers hold the same entries",
		`VERIFIED: output "cohort 240`,
		"outvoted: bruno answered other bytes",
		"farm pays school 50 credit for the problem and its solution",
		"1 of 1 valid attestations -> not verified",
		"school votes yes: 1 of 1 steward(s), threshold 1 -> RATIFIED",
		"on every peer, MIP-SOC@1 proof",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q\n%s", want, text)
		}
	}
	if strings.Count(text, "funder pays") != 2 {
		t.Errorf("want exactly two receipts\n%s", text)
	}
	if strings.Count(text, "clinic pays") != 2 || strings.Contains(text, "clinic pays bruno") {
		t.Errorf("want the clinic to pay the two honest providers, not the liar\n%s", text)
	}
}

func TestPeersRange(t *testing.T) {
	for _, n := range []int{3, 41} {
		if err := Run(context.Background(), &bytes.Buffer{}, Options{Peers: n}); err != ErrPeers {
			t.Errorf("Peers %d: got %v, want ErrPeers", n, err)
		}
	}
}
