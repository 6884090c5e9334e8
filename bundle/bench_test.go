package bundle_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hdevalence/ed25519consensus"

	carv2 "github.com/ipld/go-car/v2"
	"github.com/ipld/go-car/v2/storage"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

const benchEntries = 2000

// benchVault holds benchEntries entries by four authors.
func benchVault(b *testing.B) (*vault.Bolt, []protocol.Block) {
	v := newVault(b)
	var all []protocol.Block
	for _, a := range authors(b, 4) {
		all = append(all, write(b, a, benchEntries/4, "valley", v)...)
	}
	return v, all
}

// rawWrite writes blocks as a CARv1 with go-car alone: the reference.
func rawWrite(b *testing.B, w io.Writer, blocks []protocol.Block) {
	car, err := storage.NewWritable(w, cids(blocks[len(blocks)-1]), carv2.WriteAsCarV1(true))
	if err != nil {
		b.Fatal(err)
	}
	for _, blk := range blocks {
		if err := car.Put(context.Background(), blk.CID.KeyString(), blk.Data); err != nil {
			b.Fatal(err)
		}
	}
	if err := car.Finalize(); err != nil {
		b.Fatal(err)
	}
}

// rawRead reads a CAR with go-car alone, hashing every block: the reference.
func rawRead(b *testing.B, file []byte) int {
	br, err := carv2.NewBlockReader(bytes.NewReader(file))
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		if _, err := br.Next(); err == io.EOF {
			return n
		} else if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// report sets entries/s of subject and reference and their ratio.
func report(b *testing.B, subject, reference time.Duration) {
	reportN(b, benchEntries, subject, reference)
}

// importEntries is the size of the bundles BenchmarkImport imports.
const importEntries = 10_000

func reportN(b *testing.B, entries int, subject, reference time.Duration) {
	n := float64(entries * b.N)
	b.ReportMetric(n/subject.Seconds(), "entries/s")
	b.ReportMetric(n/reference.Seconds(), "raw-entries/s")
	b.ReportMetric(reference.Seconds()/subject.Seconds(), "x-raw")
}

// BenchmarkExport: Export from a bbolt vault against go-car writing the
// same blocks from memory.
func BenchmarkExport(b *testing.B) {
	v, all := benchVault(b)
	start := time.Now()
	for range b.N {
		if _, err := bundle.Export(io.Discard, v, bundle.Filter{}, nil); err != nil {
			b.Fatal(err)
		}
	}
	subject := time.Since(start)
	b.StopTimer()
	start = time.Now()
	for range b.N {
		rawWrite(b, io.Discard, all)
	}
	report(b, subject, time.Since(start))
}

// BenchmarkImport: Import into a fresh bbolt vault (re-hash, open with
// signature check, kernel check, store) of 10,000 entries by 10, 100 or
// 10,000 authors, against three references in the same run: go-car
// reading and hashing the same file (x-raw), crypto/ed25519.Verify over
// the same signatures in a loop on one core (x-verify), and the
// ed25519consensus batch verifier alone, in batches of 256 on every core
// (x-batch). Every iteration imports a bundle by authors new to the
// process, so the verifier's key cache starts cold as in a fresh daemon.
func BenchmarkImport(b *testing.B) {
	benchImport(b, func(b *testing.B) bundle.Put { return newVault(b).Put })
}

// BenchmarkImportNoStore is BenchmarkImport with a store that keeps
// nothing: what re-hashing, opening and checking cost alone.
func BenchmarkImportNoStore(b *testing.B) {
	benchImport(b, func(*testing.B) bundle.Put {
		return func(blocks ...protocol.Block) ([]vault.Result, error) {
			return make([]vault.Result, len(blocks)), nil
		}
	})
}

func benchImport(b *testing.B, store func(*testing.B) bundle.Put) {
	for _, n := range []int{10, 100, importEntries} {
		b.Run(fmt.Sprintf("authors=%d", n), func(b *testing.B) {
			var files [][]byte
			var all []protocol.Block
			for range b.N {
				v := newVault(b)
				var blocks []protocol.Block
				for _, a := range authors(b, n) {
					blocks = append(blocks, write(b, a, importEntries/n, "valley", v)...)
				}
				file, _ := export(b, v, bundle.Filter{})
				files, all = append(files, file), append(all, blocks...)
			}
			chk := check()
			var subject time.Duration
			for _, file := range files {
				put := store(b)
				start := time.Now()
				rep, err := bundle.Import(bytes.NewReader(file), chk, put, nil)
				subject += time.Since(start)
				if err != nil || rep.New+rep.Known != importEntries {
					b.Fatalf("import = %+v, %v", rep, err)
				}
			}
			start := time.Now()
			for _, file := range files {
				if rawRead(b, file) != importEntries {
					b.Fatal("raw read lost blocks")
				}
			}
			reportN(b, importEntries, subject, time.Since(start))
			sigs := signatures(b, all)
			start = time.Now()
			for _, s := range sigs {
				if !ed25519.Verify(s.pub, s.msg, s.sig) {
					b.Fatal("a signature does not verify")
				}
			}
			verify := time.Since(start)
			b.ReportMetric(float64(len(sigs))/verify.Seconds(), "verify-entries/s")
			b.ReportMetric(verify.Seconds()/subject.Seconds(), "x-verify")
			start = time.Now()
			batchVerify(b, sigs, 256)
			batch := time.Since(start)
			b.ReportMetric(float64(len(sigs))/batch.Seconds(), "batch-entries/s")
			b.ReportMetric(batch.Seconds()/subject.Seconds(), "x-batch")
		})
	}
}

type signature struct{ pub, msg, sig []byte }

func signatures(b *testing.B, blocks []protocol.Block) []signature {
	out := make([]signature, len(blocks))
	for i, blk := range blocks {
		msg, err := protocol.SigningBytes(blk.Entry)
		if err != nil {
			b.Fatal(err)
		}
		pub, err := protocol.PublicKey(blk.Entry.Author)
		if err != nil {
			b.Fatal(err)
		}
		raw, err := pub.Raw()
		if err != nil {
			b.Fatal(err)
		}
		out[i] = signature{raw, msg, blk.Entry.Sig}
	}
	return out
}

// batchVerify checks sigs with ed25519consensus's batch verifier, in
// batches of size spread over every core.
func batchVerify(b *testing.B, sigs []signature, size int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var bad atomic.Bool
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(int64(size))) - size
				if i >= len(sigs) {
					return
				}
				bv := ed25519consensus.NewBatchVerifier()
				for _, s := range sigs[i:min(i+size, len(sigs))] {
					bv.Add(s.pub, s.msg, s.sig)
				}
				if !bv.Verify() {
					bad.Store(true)
				}
			}
		})
	}
	wg.Wait()
	if bad.Load() {
		b.Fatal("a batch does not verify")
	}
}
