package bundle

import (
	"errors"
	"fmt"
	"io"

	"github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// ErrNotBundle means the input is not a CAR file at all.
var ErrNotBundle = errors.New("not a CAR bundle")

const (
	batchSize  = 256 // entries per store transaction
	maxReasons = 100 // reasons kept in a Report
)

// Report tells what Import did. Damaged is set when the file was cut or
// corrupted: every whole, valid entry before the damage was imported.
type Report struct {
	New      int      `json:"new"`
	Known    int      `json:"known"`
	Pending  int      `json:"pending"`
	Forks    int      `json:"forks"`
	Rejected int      `json:"rejected"`
	Reasons  []string `json:"reasons"`
	Damaged  string   `json:"damaged,omitempty"`
}

// Check judges an opened entry, as the gossip validator does.
type Check func(protocol.Block) protocol.Verdict

// Put stores opened, checked entries in one transaction.
type Put func(blocks ...protocol.Block) ([]vault.Result, error)

// Import reads a bundle, re-hashes every block against its CID, opens and
// checks every entry exactly as gossip does, and stores the good ones in
// batches. It is idempotent: importing a bundle twice reports the second
// time's entries as known. progress, when not nil, is called after each
// block read with the count so far. The error is for the file as a whole
// (not a bundle) or the store; per-entry problems go in the Report.
func Import(r io.Reader, check Check, put Put, progress func(n int)) (Report, error) {
	br, err := carv2.NewBlockReader(r, carv2.WithTrustedCAR(true),
		carv2.MaxAllowedSectionSize(protocol.MaxEntrySize+128))
	if err != nil {
		return Report{}, fmt.Errorf("%w: %v", ErrNotBundle, err)
	}
	var (
		rep   = Report{Reasons: []string{}}
		batch []protocol.Block
		read  int
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := put(batch...)
		if err != nil {
			return fmt.Errorf("bundle import: %w", err)
		}
		rep.count(res)
		batch = batch[:0]
		return nil
	}
	for {
		blk, err := br.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			rep.Damaged = fmt.Sprintf("after %d blocks: %v", read, err)
			break
		}
		read++
		b, v := open(blk.Cid(), blk.RawData(), check)
		if v.Outcome != protocol.Accept {
			rep.reject(blk.Cid().String(), v)
		} else if batch = append(batch, b); len(batch) == batchSize {
			if err := flush(); err != nil {
				return rep, err
			}
		}
		if progress != nil {
			progress(read)
		}
	}
	return rep, flush()
}

// open re-hashes and opens one block, then checks it.
func open(c cid.Cid, data []byte, check Check) (protocol.Block, protocol.Verdict) {
	b, err := protocol.OpenCID(c, data)
	if err != nil {
		return protocol.Block{}, protocol.Rejected(err)
	}
	if check == nil {
		return b, protocol.Accepted
	}
	return b, check(b)
}

func (r *Report) count(res []vault.Result) {
	for _, x := range res {
		switch x.Status {
		case vault.New:
			r.New++
		case vault.Known:
			r.Known++
		case vault.Pending:
			r.Pending++
		case vault.Equivocation:
			r.New++
			r.Forks++
		}
	}
}

func (r *Report) reject(what string, v protocol.Verdict) {
	r.Rejected++
	if len(r.Reasons) < maxReasons {
		r.Reasons = append(r.Reasons, fmt.Sprintf("%s: %s: %v", what, v.Outcome, v.Reason))
	}
}
