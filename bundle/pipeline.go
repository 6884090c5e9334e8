package bundle

import (
	"sync"
	"sync/atomic"

	blocks "github.com/ipfs/go-block-format"
	carv2 "github.com/ipld/go-car/v2"
)

// A read is one chunk of a bundle, opened and checked: what the reading
// goroutine hands to the storing one.
type read struct {
	blocks []blocks.Block
	opened []opened
	end    error // as readChunk returns it
	// mips is the importer's count of puts that stored MIP entries when
	// the chunk was checked: a verdict of an unknown MIP taken before a
	// later put stored one is taken again.
	mips uint64
}

// pipeline reads, opens and checks chunks on every core while the caller
// stores the one before: storing overlaps with signature checks instead
// of waiting for them. Close stops it; it never runs more than one chunk
// ahead.
type pipeline struct {
	out  chan read
	done chan struct{}
	wg   sync.WaitGroup
}

func startPipeline(br *carv2.BlockReader, check Check, mips *atomic.Uint64) *pipeline {
	p := &pipeline{out: make(chan read, 1), done: make(chan struct{})}
	p.wg.Go(func() {
		defer close(p.out)
		for {
			r := read{mips: mips.Load()}
			r.blocks, r.end = readChunk(br, BatchSize, BatchBytes)
			r.opened = openAll(r.blocks, check)
			select {
			case p.out <- r:
			case <-p.done:
				return
			}
			if r.end != nil {
				return
			}
		}
	})
	return p
}

// Close stops the reading goroutine and waits for it.
func (p *pipeline) Close() {
	close(p.done)
	p.wg.Wait()
}
