// Command school publishes a school's term assessments as MIP-EDU@1
// proofs, and with -verify is the verifier that attests them.
//
// The school reads a CSV of assessments (learner,subject,baseline,outcome:
// scores out of -score-max), adds the file to its vault as evidence,
// founds its district naming its verifiers (when it holds no genesis of
// it yet), publishes one proof per subject with the group's mean scores,
// and waits until every proof is verified under MIP-EDU's policy (two
// valid attestations by the district's verifiers).
//
// A verifier follows the district, checks each MIP-EDU proof it receives
// against what a term's assessment can say (means within the scale, at
// least one learner) and signs a valid or invalid attestation. It runs
// until interrupted.
//
//	go run ./examples/school -dir ./school -csv term1.csv \
//	    -verifiers 12D3KooWA...,12D3KooWB...
//	go run ./examples/school -verify -dir ./verifier-a -connect /ip4/.../p2p/12D3KooW...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// options are the command's flags.
type options struct {
	dir, csv, district, listen, connect string
	verifiers                           []string
	scoreMax, periodDays                int
	verify                              bool
}

func main() {
	var o options
	var verifiers string
	flag.BoolVar(&o.verify, "verify", false, "run as a verifier that attests the district's MIP-EDU proofs")
	flag.StringVar(&o.dir, "dir", "school", "directory of the vault (created when missing)")
	flag.StringVar(&o.csv, "csv", "term.csv", "CSV of assessments: learner,subject,baseline,outcome")
	flag.StringVar(&o.district, "district", "meso-valley/north", "district of the school")
	flag.StringVar(&verifiers, "verifiers", "", "peer IDs of the district's verifiers, comma-separated (school; founds the district)")
	flag.IntVar(&o.scoreMax, "score-max", 100, "top of the score scale")
	flag.IntVar(&o.periodDays, "period-days", 90, "days between the baseline and the outcome assessment")
	flag.StringVar(&o.listen, "listen", "/ip4/0.0.0.0/tcp/0", "address to listen on")
	flag.StringVar(&o.connect, "connect", "", "a peer to connect to at start (full multiaddr)")
	flag.Parse()
	if verifiers != "" {
		o.verifiers = strings.Split(verifiers, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if o.verify {
		err = runVerifier(ctx, o, started, func(cid, verdict string) { fmt.Printf("attested %s: %s\n", cid, verdict) })
	} else {
		err = runSchool(ctx, o, started, func(cid string) { fmt.Printf("verified %s\n", cid) })
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "school:", err)
		os.Exit(1)
	}
}

// started prints where the peer is.
func started(id string, addrs []string) {
	fmt.Printf("peer %s\n", id)
	for _, a := range addrs {
		fmt.Println(" ", a)
	}
}
