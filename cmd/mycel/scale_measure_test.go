package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/scale"
)

// scaleRow is one size's column of the scale table.
type scaleRow struct {
	Size    string        `json:"size"` // 10k, 100k, 1M
	Entries int           `json:"entries"`
	Build   time.Duration `json:"build_ns"` // of this run's build; 0 when cached
	Start   time.Duration `json:"start_ns"` // the faster of two starts
	RSS     int64         `json:"rss_bytes"`
	Publish time.Duration `json:"publish_ns"`
	Attest  time.Duration `json:"attest_ns"`
	Pay     time.Duration `json:"pay_ns"`
	// The fastest round of publish and attest: the cost floor the growth
	// check compares (the medians above are what the table shows; on a
	// shared 2-core machine other tests inflate the larger daemon's more).
	PublishMin  time.Duration `json:"publish_min_ns"`
	AttestMin   time.Duration `json:"attest_min_ns"`
	Page        time.Duration `json:"page_ns"` // the first page of 100 proofs through the API
	Proofs      offlineRun    `json:"proofs"`
	PageOffline offlineRun    `json:"page_offline"`
	Balance     offlineRun    `json:"balance"`
	Vault       vaultBytes    `json:"vault"`
}

// vaultBytes is the space a built vault takes, per entry.
type vaultBytes struct {
	File  float64 `json:"file_per_entry"`   // the file's size
	InUse float64 `json:"in_use_per_entry"` // pages up to the high-water mark, less the free ones
	Entry float64 `json:"entry"`            // the entries' own bytes
}

// offlineRun is one command run without a daemon.
type offlineRun struct {
	Took   time.Duration `json:"took_ns"`
	MaxRSS int64         `json:"max_rss_bytes"`
	Err    string        `json:"err,omitempty"` // why it did not finish
}

// scaleHome is a copy of a cached scale home, and its running daemon.
type scaleHome struct {
	size     scale.Size
	dir      string
	manifest scale.Manifest
	d        *daemon
}

// scaleHome copies the cached home of size s (building it first when the
// cache has none) into the test's directory.
func (e *e2e) scaleHome(s scale.Size) (*scaleHome, scaleRow) {
	e.t.Helper()
	b, err := scale.Cached(s)
	if err != nil {
		e.t.Fatal(err)
	}
	row := scaleRow{Size: sizeLabel(s.Entries()), Entries: b.Manifest.Entries}
	if !b.Reused {
		row.Build = b.Manifest.Took
	}
	e.t.Logf("%s home: %s (built in %v, reused %v)", row.Size, b.Home.Dir, b.Manifest.Took.Round(time.Millisecond), b.Reused)
	row.Vault = spaceOf(e.t, b.Home.Vault(), b.Manifest.Entries)
	h, err := b.Copy(e.home("scale-" + s.String()))
	if err != nil {
		e.t.Fatal(err)
	}
	return &scaleHome{size: s, dir: h.Dir, manifest: b.Manifest}, row
}

func sizeLabel(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1_000 && n%1_000 == 0:
		return fmt.Sprintf("%dk", n/1_000)
	}
	return fmt.Sprint(n)
}

// measureStarts starts each home's daemon twice, one size after the
// other, and keeps the faster start, the RSS after the second and the
// second daemon running.
func (e *e2e) measureStarts(homes []*scaleHome, rows []scaleRow) {
	for round := range 2 {
		for i, h := range homes {
			t0 := time.Now()
			d := e.start(h.dir)
			took := time.Since(t0)
			if round == 0 || took < rows[i].Start {
				rows[i].Start = took
			}
			if round == 0 {
				e.stopWithin(d, stopWait)
				continue
			}
			h.d = d
			rows[i].RSS = procKB(e.t, d.cmd.Process.Pid, "VmRSS:") << 10
		}
	}
}

// writeWait bounds one write through a scale daemon's API.
const writeWait = time.Minute

// measureWrites publishes a proof, attests a proof no one attested yet
// and pays a clinic through each daemon's API, one size after the other
// in each round, and keeps the medians.
func (e *e2e) measureWrites(homes []*scaleHome, rows []scaleRow) {
	times := make([][3][]time.Duration, len(homes))
	clients := make([]*api.Client, len(homes))
	for i, h := range homes {
		clients[i] = e.client(h.dir)
	}
	for r := range writeWarm + writeRounds {
		for i, h := range homes {
			for k, op := range scaleWrites(clients[i], h.manifest, r) {
				ctx, cancel := context.WithTimeout(context.Background(), writeWait)
				t0 := time.Now()
				err := op(ctx)
				took := time.Since(t0)
				cancel()
				if err != nil {
					e.t.Fatalf("%s at %s entries: %v", writeNames[k], rows[i].Size, err)
				}
				if r >= writeWarm {
					times[i][k] = append(times[i][k], took)
				}
			}
		}
	}
	for i := range rows {
		rows[i].Publish, rows[i].Attest, rows[i].Pay = medianOf(times[i][0]), medianOf(times[i][1]), medianOf(times[i][2])
		rows[i].PublishMin, rows[i].AttestMin = slices.Min(times[i][0]), slices.Min(times[i][1])
	}
}

// scaleWrites are round r's writes: publish, attest, pay (writeNames).
func scaleWrites(c *api.Client, m scale.Manifest, r int) [3]func(context.Context) error {
	claim, _ := json.Marshal(costClaim(r))
	return [3]func(context.Context) error{
		func(ctx context.Context) error {
			_, err := c.Publish(ctx, api.PublishRequest{MIP: scale.MIP, Claim: claim, District: scale.District, NoEvidence: true})
			return err
		},
		func(ctx context.Context) error {
			_, err := c.Attest(ctx, api.AttestRequest{Proof: m.Open[r%len(m.Open)], Verdict: "valid"})
			return err
		},
		func(ctx context.Context) error {
			_, err := c.Pay(ctx, api.PayRequest{Payee: m.Clinic, Amount: 1, Unit: scale.Unit, District: scale.District})
			return err
		},
	}
}

// measurePages reads the first page of 100 proofs through each daemon's
// API, the sizes taking turns, and keeps the medians.
func (e *e2e) measurePages(homes []*scaleHome, rows []scaleRow) {
	times := make([][]time.Duration, len(homes))
	for r := range writeWarm + writeRounds {
		for i, h := range homes {
			ctx, cancel := context.WithTimeout(context.Background(), writeWait)
			t0 := time.Now()
			page, err := e.client(h.dir).Proofs(ctx, api.ProofQuery{Limit: scalePage})
			took := time.Since(t0)
			cancel()
			if err != nil || len(page.Proofs) != scalePage {
				e.t.Fatalf("first page at %s entries: %d proofs, %v", rows[i].Size, len(page.Proofs), err)
			}
			if r >= writeWarm {
				times[i] = append(times[i], took)
			}
		}
	}
	for i := range rows {
		rows[i].Page = medianOf(times[i])
	}
}

// scalePage is the size of the first page the table reads.
const scalePage = 100

func medianOf(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// offlineTimeout bounds one command run without a daemon: a minute per
// 100k entries, at least a minute.
func offlineTimeout(s scale.Size) time.Duration {
	return time.Minute * time.Duration(max(1, s.Entries()/100_000))
}

// offline runs a command on a home without a daemon and returns its wall
// time and the peak RSS of its process, as peakrss reads it.
func (e *e2e) offline(home string, s scale.Size, args ...string) offlineRun {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), offlineTimeout(s))
	defer cancel()
	peakFile := filepath.Join(e.dir, "peak")
	cmd := exec.CommandContext(ctx, e.peakrss(), append([]string{peakFile, e.bin, "--home", home}, args...)...)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &errb
	t0 := time.Now()
	err := cmd.Run()
	run := offlineRun{Took: time.Since(t0)}
	switch {
	case ctx.Err() != nil:
		run.Err = fmt.Sprintf("killed after %v", offlineTimeout(s))
		return run
	case err != nil:
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			e.t.Fatalf("mycel %s: %v", strings.Join(args, " "), err)
		}
		run.Err = strings.TrimSpace(errb.String())
	}
	data, err := os.ReadFile(peakFile)
	if err != nil {
		e.t.Fatal(err)
	}
	if run.MaxRSS, err = strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64); err != nil {
		e.t.Fatalf("peakrss wrote %q", data)
	}
	return run
}

// peakrss builds the peakrss command once and returns its path.
func (e *e2e) peakrss() string {
	e.t.Helper()
	bin := filepath.Join(e.dir, "peakrss")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if out, err := exec.Command("go", "build", "-o", bin, "./internal/scale/peakrss").CombinedOutput(); err != nil {
		e.t.Fatalf("go build peakrss: %v\n%s", err, out)
	}
	return bin
}

// scaleTable renders the rows as a Markdown table, one column per size.
func scaleTable(rows []scaleRow) string {
	var b strings.Builder
	line := func(what string, cell func(r scaleRow) string) {
		b.WriteString("| " + what)
		for _, r := range rows {
			b.WriteString(" | " + cell(r))
		}
		b.WriteString(" |\n")
	}
	line("what", func(r scaleRow) string { return r.Size + " entries" })
	line("---", func(scaleRow) string { return "---" })
	line("build (cold; 0: cached)", func(r scaleRow) string { return dur(r.Build) })
	line("daemon start until ready", func(r scaleRow) string { return dur(r.Start) + ", " + mib(r.RSS) + " RSS" })
	line("one proof publish (median)", func(r scaleRow) string { return dur(r.Publish) })
	line("one attestation (median)", func(r scaleRow) string { return dur(r.Attest) })
	line("one pay (median)", func(r scaleRow) string { return dur(r.Pay) })
	line("first page of 100 proofs through the API (median)", func(r scaleRow) string { return dur(r.Page) })
	line("`mycel proofs --limit 100` without a daemon", func(r scaleRow) string { return r.PageOffline.String() })
	line("`mycel proofs` without a daemon", func(r scaleRow) string { return r.Proofs.String() })
	line("`mycel balance` without a daemon", func(r scaleRow) string { return r.Balance.String() })
	line("vault bytes per entry: file, in use (entry's own)", func(r scaleRow) string {
		return fmt.Sprintf("%.0f B, %.0f B (%.0f B)", r.Vault.File, r.Vault.InUse, r.Vault.Entry)
	})
	return b.String()
}

func (o offlineRun) String() string {
	s := dur(o.Took) + ", " + mib(o.MaxRSS) + " peak RSS"
	if o.Err != "" {
		s += " (" + o.Err + ")"
	}
	return s
}

func dur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
}

func mib(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }

// scaleJSON writes the rows to path.
func scaleJSON(path string, rows []scaleRow) error {
	data, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Clean(path), append(data, '\n'), 0o644)
}

// spaceOf reads the space the vault at path takes for its n entries; no
// process may have it open.
func spaceOf(t *testing.T, path string, n int) vaultBytes {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var used, own int64
	err = db.View(func(tx *bolt.Tx) error {
		free := db.Stats().FreePageN + db.Stats().PendingPageN
		used = tx.Size() - int64(free*db.Info().PageSize)
		return tx.Bucket([]byte("blocks")).ForEach(func(_, v []byte) error {
			own += int64(len(v))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	per := func(b int64) float64 { return float64(b) / float64(n) }
	return vaultBytes{File: per(fi.Size()), InUse: per(used), Entry: per(own)}
}

// stopWait bounds a scale daemon's shutdown; past it the test fails with
// the daemon's goroutines.
const stopWait = time.Minute

// stopWithin stops d as d.stop does, and fails the test with the daemon's
// goroutine dump when it has not exited within wait of SIGTERM.
func (e *e2e) stopWithin(d *daemon, wait time.Duration) {
	e.t.Helper()
	if d.cmd.ProcessState != nil {
		return
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.drained:
		if err := d.cmd.Wait(); err != nil {
			e.t.Errorf("daemon %s: %v", d.home, err)
		}
		return
	case <-time.After(wait):
	}
	d.cmd.Process.Signal(syscall.SIGQUIT) // the Go runtime prints every goroutine and exits
	<-d.drained
	d.cmd.Wait()
	e.t.Fatalf("daemon %s still ran %v after SIGTERM; its goroutines:\n%s", d.home, wait, d.cmd.Stderr)
}
