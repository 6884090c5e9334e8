package bundle

import (
	"errors"
	"fmt"
	"io"

	blocks "github.com/ipfs/go-block-format"

	"github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"

	"github.com/mesocosm/mycel/internal/parallel"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// ErrNotBundle means the input is not a CAR file at all.
var ErrNotBundle = errors.New("not a CAR bundle")

const (
	// BatchSize is the most entries Import stores per transaction.
	BatchSize = 1024
	// BatchBytes bounds the bytes of a chunk Import reads, opens and
	// stores at once: a chunk ends at BatchSize blocks or at the block
	// that takes it past BatchBytes, so it holds at most
	// BatchBytes+MaxSection bytes of blocks.
	BatchBytes = 4 << 20
	// MaxSection is the largest CAR section (varint excluded) Import reads:
	// one entry at its size limit plus its CID.
	MaxSection = protocol.MaxEntrySize + 128
	// maxReasons is how many reasons a Report keeps.
	maxReasons = 100
	// MaxHeld is how many bytes of entries naming an unknown MIP Import
	// holds to judge again after the bundle's mip entries are stored.
	MaxHeld = 16 << 20
)

// Report tells what Import did. Damaged is set when the file was cut or
// corrupted past repair: every whole, valid entry before the damage was
// imported, nothing after it.
type Report struct {
	New      int      `json:"new"`      // stored and joined, forks included
	Known    int      `json:"known"`    // already held
	Pending  int      `json:"pending"`  // stored, waiting for a gap to fill
	Forks    int      `json:"forks"`    // stored as equivocation records
	Rejected int      `json:"rejected"` // failed re-hash, Open or Check (Reject)
	Ignored  int      `json:"ignored"`  // Check said Ignore: not stored
	Reasons  []string `json:"reasons"`  // "<cid>: reject|ignore: <why>", at most 100
	Damaged  string   `json:"damaged,omitempty"`
}

// Check judges an opened entry, as the gossip validator does.
type Check func(protocol.Block) protocol.Verdict

// Put stores opened, checked entries in one transaction; storage.Store.Put
// and node.Ingest fit.
type Put func(blocks ...protocol.Block) ([]storage.Result, error)

// Import reads a bundle, re-hashes every block against its CID, opens and
// checks every entry as gossip does, and stores the accepted ones with put:
// one call per chunk read (BatchSize blocks or BatchBytes bytes, whichever
// comes first), so at most BatchSize entries per transaction. check may be
// nil (accept what opens); it is called from several goroutines at once.
// progress, when not nil, is called after each chunk with the count of
// blocks read.
//
// A bundle is imported whole: an entry check Ignores for naming an unknown
// MIP (mip.ErrUnknownMIP) is held, and judged again by check after every
// put that stores a mip entry, wherever in the bundle that entry lies;
// put must make the MIPs it stores known to check (a node's put does).
// What is still held at the end is Ignored. Held entries take at most
// MaxHeld bytes; past that, such an entry is Ignored at once. So Import
// is idempotent: importing a bundle twice stores nothing the second time.
//
// Four things might happen:
//   - the input has no CAR header: ErrNotBundle, nothing stored;
//   - a block is bad (CID mismatch, malformed, mis-signed, rejected or
//     ignored by check): it is counted with its reason and skipped;
//   - the file is cut or its framing corrupt: the blocks before the damage
//     are stored and Report.Damaged says where;
//   - put fails: the error, with the batches before it stored.
func Import(r io.Reader, check Check, put Put, progress func(n int)) (Report, error) {
	return ImportWith(r, check, put, Options{Progress: progress})
}

// Options are the optional parts of ImportWith.
type Options struct {
	// Progress is called after each chunk with the count of blocks read.
	Progress func(n int)
	// Judged is called once for each block that opened but that check
	// did not accept, with check's last verdict, when Import has done
	// with it.
	Judged func(protocol.Block, protocol.Verdict)
}

// ImportWith is Import with options. It reads, opens and checks the next
// chunk while it stores the one before.
func ImportWith(r io.Reader, check Check, put Put, opt Options) (Report, error) {
	br, err := carv2.NewBlockReader(r, carv2.WithTrustedCAR(true),
		carv2.MaxAllowedSectionSize(MaxSection))
	if err != nil {
		return Report{}, fmt.Errorf("%w: %v", ErrNotBundle, err)
	}
	im := &importer{check: check, put: put, judged: opt.Judged, rep: Report{Reasons: []string{}}}
	p := startPipeline(br, check, &im.mips)
	defer p.Close()
	read := 0
	for r := range p.out {
		if r.end != nil && r.end != io.EOF {
			im.rep.Damaged = fmt.Sprintf("after block %d: %v", read+len(r.blocks), r.end)
		}
		if err := im.chunk(r); err != nil {
			return im.rep, fmt.Errorf("bundle import: %w", err)
		}
		if read += len(r.blocks); opt.Progress != nil && len(r.blocks) > 0 {
			opt.Progress(read)
		}
	}
	im.release()
	return im.rep, nil
}

// readChunk reads up to n blocks, stopping after the block that takes
// their bytes to size or past it; end is io.EOF at the end of the file,
// another error at damage, nil when more may follow.
func readChunk(br *carv2.BlockReader, n, size int) ([]blocks.Block, error) {
	chunk := make([]blocks.Block, 0, min(n, 256))
	for held := 0; len(chunk) < n && held < size; {
		blk, err := br.Next()
		if err != nil {
			return chunk, err
		}
		chunk = append(chunk, blk)
		held += len(blk.RawData())
	}
	return chunk, nil
}

type opened struct {
	b protocol.Block
	v protocol.Verdict
}

// openAll opens and checks a chunk of blocks on every core: signature
// checks are most of an import's work. Results keep the chunk's order.
func openAll(chunk []blocks.Block, check Check) []opened {
	out := make([]opened, len(chunk))
	parallel.For(len(chunk), func(i int) {
		out[i].b, out[i].v = open(chunk[i].Cid(), chunk[i].RawData(), check)
	})
	return out
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

func (r *Report) count(res []storage.Result) {
	for _, x := range res {
		switch x.Status {
		case storage.New:
			r.New++
		case storage.Known, storage.Another:
			r.Known++
		case storage.Pending:
			r.Pending++
		case storage.Equivocation:
			r.New++
			r.Forks++
		case storage.Refused: // past a gap, over the vault's pending quota
			r.Ignored++
		}
	}
}

func (r *Report) judge(c cid.Cid, v protocol.Verdict) {
	if v.Outcome == protocol.Ignore {
		r.Ignored++
	} else {
		r.Rejected++
	}
	if len(r.Reasons) < maxReasons {
		r.Reasons = append(r.Reasons, fmt.Sprintf("%s: %s: %v", c, v.Outcome, v.Reason))
	}
}
