package bundle_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

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
	n := float64(benchEntries * b.N)
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
// signature check, kernel check, store) against go-car reading and
// hashing the same file.
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
	v, all := benchVault(b)
	file, _ := export(b, v, bundle.Filter{})
	chk := check()
	var subject time.Duration
	for range b.N {
		b.StopTimer()
		put := store(b)
		b.StartTimer()
		start := time.Now()
		rep, err := bundle.Import(bytes.NewReader(file), chk, put, nil)
		subject += time.Since(start)
		if err != nil || rep.New+rep.Known != benchEntries {
			b.Fatalf("import = %+v, %v", rep, err)
		}
	}
	b.StopTimer()
	start := time.Now()
	for range b.N {
		if rawRead(b, file) != benchEntries {
			b.Fatal("raw read lost blocks")
		}
	}
	report(b, subject, time.Since(start))
	// The floor: checking the entries' Ed25519 signatures alone, one core.
	start = time.Now()
	for range b.N {
		for _, blk := range all {
			if err := protocol.Verify(blk.Entry); err != nil {
				b.Fatal(err)
			}
		}
	}
	verify := time.Since(start)
	b.ReportMetric(float64(benchEntries*b.N)/verify.Seconds(), "verify-entries/s")
	b.ReportMetric(verify.Seconds()/subject.Seconds(), "x-verify")
}
