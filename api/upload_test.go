package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// holdEvidence is a Service whose AddEvidence keeps the uploaded content
// until told to let go, counting how many uploads it holds at once.
type holdEvidence struct {
	*Local
	entered chan int
	release chan struct{}
	mu      sync.Mutex
	held    int
	most    int
}

func (h *holdEvidence) AddEvidence(_ context.Context, content []byte, _ string) (Evidence, error) {
	h.mu.Lock()
	h.held++
	h.most = max(h.most, h.held)
	h.mu.Unlock()
	h.entered <- len(content)
	<-h.release
	h.mu.Lock()
	h.held--
	h.mu.Unlock()
	runtime.KeepAlive(content)
	return Evidence{Size: int64(len(content))}, nil
}

func newHoldEvidence(t *testing.T) *holdEvidence {
	l, _ := newLocal(t)
	return &holdEvidence{Local: l, entered: make(chan int, 8), release: make(chan struct{})}
}

// upload posts content as evidence, asking for 100-continue so that a
// refused upload is not sent at all; it returns the status and body.
func upload(addr string, content []byte) (int, string) {
	req, _ := http.NewRequest("POST", "http://"+addr+"/v1/evidence?label=big", bytes.NewReader(content))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Expect", "100-continue")
	tr := &http.Transport{ExpectContinueTimeout: 10 * time.Second}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: time.Minute}).Do(req)
	if err != nil {
		return -1, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestConcurrentUploadsBounded: four concurrent 64 MiB evidence uploads
// do not grow the heap by their total: one is buffered, the others are
// answered 503 busy (with a remedy) before their bodies are read.
func TestConcurrentUploadsBounded(t *testing.T) {
	const n, size = 4, MaxEvidenceSize
	h := newHoldEvidence(t)
	addr := serveWith(t, h, func(lim *limits) { lim.budgetWait = 0 }).addr
	content := bytes.Repeat([]byte{7}, size)
	base := heapAlloc()
	type answer struct {
		code int
		body string
	}
	answers := make(chan answer, n)
	for range n {
		go func() { code, body := upload(addr, content); answers <- answer{code, body} }()
	}
	entered, busy := 0, 0
	deadline := time.After(30 * time.Second)
	for entered+busy < n {
		select {
		case <-h.entered:
			entered++
		case a := <-answers:
			var e Error
			if a.code != 503 || json.Unmarshal([]byte(a.body), &e) != nil || e.Code != "busy" || !strings.Contains(e.Message, "retry") {
				t.Errorf("refused upload: %d %q", a.code, a.body)
			}
			busy++
		case <-deadline:
			t.Fatalf("after 30 s: %d uploads held, %d refused", entered, busy)
		}
	}
	growth := int64(heapAlloc()) - int64(base)
	t.Logf("%d uploads of %d MiB: %d held, %d refused; heap grew %d MiB", n, size>>20, entered, busy, growth>>20)
	close(h.release)
	for range entered {
		if a := <-answers; a.code != 200 {
			t.Errorf("held upload: %d %q", a.code, a.body)
		}
	}
	if entered != 1 || growth > 2*size {
		t.Fatalf("%d uploads buffered at once, heap grew %d MiB; want 1 and under %d MiB", entered, growth>>20, 2*size>>20)
	}
	runtime.KeepAlive(content)
}

// TestUploadWaitsForBudget: within the budget wait, an upload waits for
// the one before it instead of being refused.
func TestUploadWaitsForBudget(t *testing.T) {
	h := newHoldEvidence(t)
	addr := serveWith(t, h, func(lim *limits) {
		lim.budget = 1 << 20
		lim.budgetWait = 20 * time.Second
	}).addr
	content := bytes.Repeat([]byte{7}, 1<<20)
	codes := make(chan int, 2)
	go func() { code, _ := upload(addr, content); codes <- code }()
	<-h.entered
	go func() { code, _ := upload(addr, content); codes <- code }()
	h.release <- struct{}{}
	<-h.entered
	h.release <- struct{}{}
	if a, b := <-codes, <-codes; a != 200 || b != 200 {
		t.Fatalf("statuses %d %d", a, b)
	}
	if h.most != 1 {
		t.Fatalf("%d uploads buffered at once, budget for one", h.most)
	}
}

// TestMeasureUploadHeap measures the heap peak of four concurrent 64 MiB
// evidence uploads into a real vault (MYCEL_API_MEASURE=1).
func TestMeasureUploadHeap(t *testing.T) {
	if os.Getenv("MYCEL_API_MEASURE") == "" {
		t.Skip("set MYCEL_API_MEASURE=1")
	}
	f := newFixture(t)
	content := bytes.Repeat([]byte{7}, MaxEvidenceSize)
	base := heapAlloc()
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Go(func() { codes[i], _ = upload(f.addr, content) })
	}
	wg.Wait()
	close(stop)
	<-sampled
	t.Logf("4 x 64 MiB uploads in %v: statuses %v, heap peak %d MiB over a base of %d MiB",
		time.Since(start).Round(time.Millisecond), codes, (peak-base)>>20, base>>20)
	runtime.KeepAlive(content)
}

// TestClientSeesBusy: the client gets ErrBusy, with its remedy, when the
// upload budget is taken, and sends nothing it need not.
func TestClientSeesBusy(t *testing.T) {
	h := newHoldEvidence(t)
	addr := serveWith(t, h, func(lim *limits) { lim.budgetWait = 0 }).addr
	c := NewClient(addr, testToken)
	held := make(chan error, 1)
	go func() {
		_, err := c.AddEvidence(context.Background(), make([]byte, MaxEvidenceSize), "big")
		held <- err
	}()
	<-h.entered
	_, err := c.AddEvidence(t.Context(), []byte("small"), "small")
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "retry") {
		t.Fatalf("second upload: %v", err)
	}
	close(h.release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
}
