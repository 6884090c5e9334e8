package vault

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

// FuzzPageCheck: the page check reads any file, however broken, without
// a panic, and either passes it or names the damage (or a foreign file).
func FuzzPageCheck(f *testing.F) {
	path := filepath.Join(f.TempDir(), "vault.db")
	v, err := Create(path, Options{})
	if err != nil {
		f.Fatal(err)
	}
	for i := range 20 {
		body, _ := protocol.Marshal(map[string]any{"n": uint64(i), "note": "fuzz seed"})
		if _, err := v.Append(v.Key(), protocol.Entry{Kind: "note", Body: body}); err != nil {
			f.Fatal(err)
		}
	}
	v.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:16<<10])
	f.Add([]byte("not a vault"))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := checkReader(bytes.NewReader(data), int64(len(data)), checkFull)
		var d *DamagedError
		if err != nil && !errors.As(err, &d) && !errors.Is(err, ErrNotVault) {
			t.Fatalf("page check error %v is neither damage nor a foreign file", err)
		}
	})
}

// A meta page claiming more pages than any file holds (its page count
// times the page size past 2^63) is damage, not a huge allocation.
func TestMetaHighWaterOverflow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.db")
	v, err := Create(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	data, _ := os.ReadFile(path)
	for _, page := range []int{0, 1} {
		m := data[page*4096+pageHeaderSize:]
		binary.LittleEndian.PutUint64(m[40:], 1<<62) // hwm
		h := fnv.New64a()
		h.Write(m[:metaSumLen])
		binary.LittleEndian.PutUint64(m[metaSumLen:], h.Sum64())
	}
	err = checkReader(bytes.NewReader(data), int64(len(data)), checkFull)
	var d *DamagedError
	if !errors.As(err, &d) {
		t.Fatalf("meta naming 2^62 pages: %v, want damage", err)
	}
}
