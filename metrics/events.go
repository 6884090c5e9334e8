package metrics

import (
	"sync"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/storage"
)

// Follow counts the events of ch in a goroutine of its own until ch
// closes or the returned stop is called; stop waits for it and is safe to
// call twice.
func (m *Metrics) Follow(ch <-chan node.Event, cancel func()) (stop func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ev := range ch {
			m.Observe(ev)
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { cancel(); wg.Wait() }) }
}

// Observe counts one node event.
func (m *Metrics) Observe(ev node.Event) {
	switch e := ev.(type) {
	case node.Stored:
		m.storedEntry(e)
	case node.Rejected:
		m.rejected.WithLabelValues(e.Source.String(), e.Verdict.Outcome.String(), Reason(e.Verdict.Reason)).Inc()
	case node.SyncDone:
		m.syncDone(e)
	case node.PeerConnected:
		m.peerEvents.WithLabelValues("connected").Inc()
	case node.PeerDisconnected:
		m.peerEvents.WithLabelValues("disconnected").Inc()
	}
}

func (m *Metrics) storedEntry(e node.Stored) {
	kind := e.Block.Entry.Kind
	if len(kind) > 32 {
		kind = "other" // a checked entry has a known kind; bound the label anyway
	}
	m.stored.WithLabelValues(kind, e.Source.String(), e.Result.Status.String()).Inc()
	if e.Result.Status == storage.Equivocation {
		m.forks.Inc()
	}
	if e.Source == node.Local && kind == protocol.KindReceipt {
		var r settle.Receipt
		if protocol.Unmarshal(e.Block.Entry.Body, &r) == nil && settle.ValidUnit(r.Unit) {
			m.payments.WithLabelValues(r.Unit).Inc()
			m.paid.WithLabelValues(r.Unit).Add(float64(r.Amount))
		}
	}
}

func (m *Metrics) syncDone(e node.SyncDone) {
	result := "ok"
	if e.Err != nil {
		result = "error"
	}
	m.syncRounds.WithLabelValues(result).Inc()
	m.syncBytes.WithLabelValues("sent").Add(float64(e.Stats.BytesSent))
	m.syncBytes.WithLabelValues("received").Add(float64(e.Stats.BytesReceived))
	m.syncBlocks.WithLabelValues("sent").Add(float64(e.Stats.Sent))
	m.syncBlocks.WithLabelValues("received").Add(float64(e.Stats.Received))
}
