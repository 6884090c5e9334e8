// Command clinic publishes a clinic's outcome as a MIP-HLT@1 proof: it
// reads a CSV of patient readings (HbA1c at baseline and at follow-up),
// adds the file to its vault as evidence, computes the cohort's mean
// change and publishes a proof that commits to the file. The readings
// never leave the vault; only the proof travels. It then serves the mesh
// until interrupted, so that verifiers and funders can sync the proof.
//
//	go run ./examples/clinic -dir ./clinic -csv readings.csv -district meso-valley/north \
//	    -connect /ip4/192.168.1.20/tcp/4811/p2p/12D3KooW...
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/embed"
)

// maxCSV bounds the readings file: a cohort of a few hundred thousand.
const maxCSV = 8 << 20

// options are the command's flags.
type options struct {
	dir, csv, district, listen, connect string
	periodDays                          int
}

func main() {
	var o options
	flag.StringVar(&o.dir, "dir", "clinic", "directory of the clinic's vault (created when missing)")
	flag.StringVar(&o.csv, "csv", "readings.csv", "CSV of readings: patient,baseline_x10,outcome_x10 (HbA1c, tenths of mmol/mol)")
	flag.StringVar(&o.district, "district", "meso-valley/north", "district the proof is published in")
	flag.IntVar(&o.periodDays, "period-days", 180, "days between baseline and follow-up")
	flag.StringVar(&o.listen, "listen", "/ip4/0.0.0.0/tcp/0", "address to listen on")
	flag.StringVar(&o.connect, "connect", "", "a peer to connect to at start (full multiaddr)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ready := func(p *embed.Peer, proof api.Published) {
		fmt.Printf("clinic %s published %s (%s); Ctrl-C stops it\n", p.ID(), proof.CID, proof.MIP)
		for _, a := range p.Addrs() {
			fmt.Println(" ", a)
		}
	}
	if err := run(ctx, o, ready); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "clinic:", err)
		os.Exit(1)
	}
}

// run publishes the proof, tells ready, and serves until ctx ends.
func run(ctx context.Context, o options, ready func(*embed.Peer, api.Published)) error {
	data, err := readFile(o.csv)
	if err != nil {
		return err
	}
	c, err := cohortOf(data)
	if err != nil {
		return fmt.Errorf("%s: %w", o.csv, err)
	}
	v, err := embed.OpenVault(filepath.Join(o.dir, "vault.db"), nil)
	if err != nil {
		return err
	}
	defer v.Close()
	p, err := embed.Start(ctx, v, embed.Options{Districts: []string{o.district}, Listen: []string{o.listen}, Connect: connect(o.connect), LAN: true})
	if err != nil {
		return err
	}
	defer p.Close()
	ev, err := p.AddEvidence(ctx, data, filepath.Base(o.csv))
	if err != nil {
		return err
	}
	claim, err := json.Marshal(c.claim(o.periodDays))
	if err != nil {
		return err
	}
	proof, err := p.Publish(ctx, api.PublishRequest{MIP: "MIP-HLT@1", Claim: claim, Evidence: []string{ev.ID}, District: o.district})
	if err != nil {
		return err
	}
	ready(p, proof)
	<-ctx.Done()
	return ctx.Err()
}

// readFile reads at most maxCSV bytes of path.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCSV+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCSV {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxCSV)
	}
	return data, nil
}

// cohort sums a cohort's readings.
type cohort struct {
	n                 int
	baseline, outcome int64 // sums, tenths of mmol/mol
}

// cohortOf reads patient,baseline_x10,outcome_x10 rows after a header.
func cohortOf(data []byte) (cohort, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 3
	rows, err := r.ReadAll()
	if err != nil {
		return cohort{}, err
	}
	var c cohort
	for i, row := range rows {
		if i == 0 {
			continue // header
		}
		b, err1 := reading(row[1])
		o, err2 := reading(row[2])
		if err := errors.Join(err1, err2); err != nil {
			return cohort{}, fmt.Errorf("row %d: %w", i+1, err)
		}
		c.n++
		c.baseline += b
		c.outcome += o
	}
	if c.n == 0 {
		return cohort{}, errors.New("no readings after the header")
	}
	return c, nil
}

// reading parses an HbA1c value in tenths of mmol/mol.
func reading(s string) (int64, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 || v > 2000 {
		return 0, fmt.Errorf("%q is not an HbA1c in tenths of mmol/mol (0 to 2000)", s)
	}
	return v, nil
}

// claim is the MIP-HLT@1 claim of the cohort: mean HbA1c before and after.
func (c cohort) claim(periodDays int) map[string]any {
	return map[string]any{
		"cohort_size": c.n, "measure": "hba1c", "unit": "mmol_mol",
		"baseline_x10": c.baseline / int64(c.n), "outcome_x10": c.outcome / int64(c.n),
		"period_days": periodDays, "method": "pre_post_cohort", "assay": "point_of_care",
		"followed_up": c.n, "population": "adults",
	}
}

// connect is the -connect flag as a list: none when empty.
func connect(addr string) []string {
	if addr == "" {
		return nil
	}
	return []string{addr}
}
