package node

import (
	"fmt"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/arena"
	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// Views is a snapshot of the settlement views of the entries a node
// holds: verification status and the flagged authors, taken when the
// snapshot is, and the ledger (balances, receipt lines, the ledger
// digest), read together on first use of any of them, so that a snapshot
// asked for a proof's status never pays for the ledger. A snapshot never
// changes once read; ask the node for a new one to see later entries.
type Views struct {
	verification *settle.Verification
	flags        []peer.ID
	entries      int
	ledger       func() *ledgerViews
}

// ledgerViews are the ledger's parts of a snapshot, of one version.
type ledgerViews struct {
	balances []settle.Balance
	lines    []settle.Line
	digest   [32]byte
}

// Status returns the verification status of proof c; ok is false if c is
// not a proof held.
func (v *Views) Status(c cid.Cid) (settle.Status, bool) { return v.verification.Status(c) }

// Verification is the verification view: the status of every proof held.
func (v *Views) Verification() *settle.Verification { return v.verification }

// Entries is the number of entries in the viewed set.
func (v *Views) Entries() int { return v.entries }

// Balances lists (account, unit, balance) in account then unit order.
func (v *Views) Balances() []settle.Balance { return v.ledger().balances }

// Lines lists every receipt held, in canonical order.
func (v *Views) Lines() []settle.Line { return v.ledger().lines }

// Digest is the ledger digest: equal on every replica with the same
// entries and pins.
func (v *Views) Digest() [32]byte { return v.ledger().digest }

// Flags lists the flagged authors in byte order.
func (v *Views) Flags() []peer.ID { return v.flags }

// views keeps the settlement views of a node's entries up to date: a
// ledger (and its set), a verifier and the rosters of the node's
// districts fed every joined and forked entry the vault stores, each at a
// cost independent of the set's size (see settle.Ledger, settle.Verifier
// and settle.Members), and the duty the settler has yet to look at. A
// mutex guards it; snapshots are cached per version.
type views struct {
	kinds     protocol.Kinds
	reg       *mip.Registry
	pins      settle.Pins
	owner     peer.ID          // the node's own author: only its pledges make receipts due
	districts []string         // the node's, whose roster members it follows
	followAge time.Duration    // see WithFollowAge
	now       func() time.Time // the clock of the follow rule; tests move it

	mu      sync.Mutex
	ledger  *settle.Ledger
	ver     *settle.Verifier
	grid    *grid.View
	arena   *arena.View
	gov     *govern.View    // what the districts' votes ratified
	rules   settle.Rules    // gov's ruling, in force in ver, ledger and members
	govern  bool            // gov changed since rules were taken: the next read takes them (fresh)
	flagged int             // the flags gov judges under: the ledger's count when last given
	members *settle.Members // of districts, no author flagged
	young   young           // authors first held since start
	duty    duty
	want    wanted // links that name no held block, see fetchLinks
	version uint64
	snap    *Views // of version snapAt
	snapAt  uint64
	led     *ledgerViews // of version ledAt
	ledAt   uint64
	changed func() // called after a change that gives the settler work, outside the lock
}

// settleKinds are the kinds the views decode: protocol, MIP, settle, grid and arena.
func settleKinds() protocol.Kinds {
	k := protocol.DefaultKinds()
	mip.Register(k)
	settle.Register(k)
	grid.Register(k)
	arena.Register(k)
	govern.Register(k)
	return k
}

func newViews(reg *mip.Registry, pins settle.Pins) *views {
	w := &views{kinds: settleKinds(), reg: reg, pins: pins, followAge: DefaultFollowAge, now: time.Now, changed: func() {}}
	w.reset(settle.NewSet())
	return w
}

// follow sets the node's districts and follow age (nil: the default),
// before load.
func (w *views) follow(districts []string, age *time.Duration) {
	w.districts = districts
	if age != nil {
		w.followAge = *age
	}
}

// reset views s from scratch. The forks s holds were judged by the run
// that stored them: only those of roster members are due now.
func (w *views) reset(s *settle.Set) {
	w.ledger = settle.Compute(s, w.pins)
	flags := flagSet(w.ledger.Flags())
	w.gov = govern.New(w.pins, flags)
	w.grid, w.arena = grid.NewView(), arena.NewView()
	s.Each(func(r *settle.Record) { w.grid.Add(r); w.arena.Add(r); w.gov.Add(r) })
	// The governance view resolves votes' links and pins by block, as it
	// did live: it gets the other blocks of entries too.
	for c, kept := range s.Aliases() {
		if r, ok := s.Named(kept); ok {
			cp := *r
			cp.CID = c
			w.gov.Add(&cp)
		}
	}
	w.rules, w.flagged, w.govern = w.gov.Ruling(), len(flags), false
	w.ledger.SetRules(w.rules) // recomputed only where votes changed a limit
	w.ver = settle.NewVerifierUnder(s, settle.PolicyOf(w.reg), w.pins, w.rules)
	w.members = settle.MembersOfUnder(s, w.districts, w.pins, w.rules)
	w.young = young{}
	w.duty = dutyOf(s, w.members)
	w.want = wanted{}
	s.Each(func(r *settle.Record) { w.want.note(s, r) })
	w.version++
}

// load feeds the views every joined entry of r, both sides of every
// recorded fork, the pending entries of every forked author (its
// branches) and the further blocks of entries (their names), and loads
// the mip entries into the registry.
func (w *views) load(r vault.Reader) error {
	blocks, err := r.Query(vault.Query{})
	if err != nil {
		return fmt.Errorf("views: %w", err)
	}
	forks, err := r.Forks()
	if err != nil {
		return fmt.Errorf("views: %w", err)
	}
	forked := map[peer.ID]bool{}
	for _, f := range forks {
		b, err := r.Get(f.Second)
		if err != nil {
			return fmt.Errorf("views: fork %s: %w", f.Second, err)
		}
		blocks = append(blocks, b)
		if !forked[f.Author] {
			forked[f.Author] = true
			bs, err := branches(r, f.Author)
			if err != nil {
				return fmt.Errorf("views: %w", err)
			}
			blocks = append(blocks, bs...)
		}
	}
	others, err := r.Others()
	if err != nil {
		return fmt.Errorf("views: %w", err)
	}
	for _, c := range others {
		b, err := r.Get(c)
		if err != nil {
			return fmt.Errorf("views: block %s: %w", c, err)
		}
		blocks = append(blocks, b)
	}
	s := settle.NewSet()
	for _, b := range blocks {
		w.loadMIP(b)
		s.Insert(settle.Decode(w.kinds, b))
	}
	w.mu.Lock()
	w.reset(s)
	w.mu.Unlock()
	return nil
}

// owes reports whether the node holds a pledge of its own: only then can
// a newly verified proof make a receipt due, so only then does a rising
// verification view give the settler work.
func (w *views) owes() bool { return w.duty.pledgers[w.owner] }

// loadMIP makes a published MIP known; a conflicting one changes nothing.
func (w *views) loadMIP(b protocol.Block) {
	if b.Entry.Kind == protocol.KindMIP {
		_ = w.reg.Load(b)
	}
}

// add feeds blocks that joined a log or forked one.
func (w *views) add(blocks ...protocol.Block) {
	if len(blocks) == 0 {
		return
	}
	w.mu.Lock()
	now := w.now()
	w.young.prune(now, w.followAge)
	governs := false
	for _, b := range blocks {
		w.loadMIP(b)
		r := settle.Decode(w.kinds, b)
		governs = w.gov.Add(r) || governs
		w.insert(r, now)
	}
	if n := w.ledger.FlagCount(); n != w.flagged {
		w.flagged = n
		w.gov.SetFlags(flagSet(w.ledger.Flags()))
		governs = true
	}
	w.govern = w.govern || governs
	w.creditRose()
	w.version++
	// A governance entry may verify proofs, change limits or members:
	// the settler's round takes the new rules (once for a burst).
	work := governs || w.duty.pending() || w.owes() && w.ver.Rising()
	w.mu.Unlock()
	if work {
		w.changed()
	}
}

// insert feeds r to every view and judges a fork it makes (see judge).
func (w *views) insert(r *settle.Record, now time.Time) {
	s, a := w.ledger.Set(), r.Author()
	held := s.Head(a) >= 1
	c := w.ledger.Add(r)
	w.ver.Add(r, c)
	w.grid.Add(r)
	w.arena.Add(r)
	if c != settle.Known {
		w.want.note(s, r)
	}
	switch c {
	case settle.Known:
		return
	case settle.Replaced, settle.Resigned:
		// The same entry: only the names of its blocks changed, which
		// matters to a pin, which names a block, and to the plan, which
		// names kept blocks.
		w.duty.note(r)
		w.owed(r)
		if _, ok := r.Body.(*settle.District); ok && w.pins[r.Entry.District].Defined() {
			w.gained(w.members.Add(r))
		}
		return
	}
	if !held && s.Head(a) >= 1 {
		w.young.add(a, now)
	}
	w.duty.note(r)
	w.owed(r)
	gained := w.members.Add(r)
	if c == settle.Forked {
		w.judge(a, held, now)
	}
	w.gained(gained)
}

// rule puts in force what the districts' votes ratified, when it changed:
// in the verification view (verifiers, MIPs), the ledger (limits) and the
// rosters the node follows.
func (w *views) rule() {
	rules := w.gov.Ruling()
	if rules.Equal(w.rules) {
		return
	}
	w.rules = rules
	if w.duty.credit != nil { // a limit may have risen
		w.duty.credit, w.duty.arena = nil, true
	}
	w.ver.SetRules(rules)
	w.ledger.SetRules(rules)
	w.gained(w.members.SetRules(rules))
}

// creditRose wakes the settler for a bounty that waits for credit once
// the node's covered position plus its limit reach it: income can become
// covered by a receipt that pays someone else (the node's payer's payer).
// It reads the ledger only when it is up to date, so a burst that made
// it stale is not rebuilt entry by entry: the next settler round reads it.
func (w *views) creditRose() {
	c := w.duty.credit
	if c == nil || w.govern || w.ledger.Stale() { // rule() wakes it when limits change
		return
	}
	if w.ledger.Position(w.owner, c.unit)+w.ledger.CreditLimit(c.district, c.unit) >= c.amount {
		w.duty.credit, w.duty.arena = nil, true
	}
}

// flagSet is a set of the flagged authors list.
func flagSet(list []peer.ID) settle.Flags {
	f := make(settle.Flags, len(list))
	for _, p := range list {
		f[p] = true
	}
	return f
}

// snapshot returns the views of the current set.
func (w *views) snapshot() *Views {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fresh()
	if w.snap == nil || w.snapAt != w.version {
		l := w.ledger
		w.snap = &Views{
			verification: w.ver.Snapshot(), flags: l.Flags(), entries: l.Set().Len(),
			ledger: sync.OnceValue(w.ledgerViews),
		}
		w.snapAt = w.version
	}
	return w.snap
}

// ledgerViews returns the ledger's views of the current set, computed
// once per version.
func (w *views) ledgerViews() *ledgerViews {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fresh()
	if w.led == nil || w.ledAt != w.version {
		l := w.ledger
		w.led = &ledgerViews{balances: l.Balances(), lines: l.Lines(), digest: l.Digest()}
		w.ledAt = w.version
	}
	return w.led
}

// work runs fn on the views under the lock: the settler reads and clears
// its duty there.
func (w *views) work(fn func(w *views)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fresh()
	fn(w)
}

// fresh puts in force the rules the governance entries since the last
// read ratified: judging them costs the proposals and votes of the
// districts they touched, so a burst of votes is judged once, by the
// read after it, not vote by vote.
func (w *views) fresh() {
	if w.govern {
		w.govern = false
		w.rule()
	}
}

// Views returns a snapshot of the node's settlement views.
func (n *Node) Views() *Views { return n.views.snapshot() }

// Position returns account's covered position in unit now (see
// settle.Ledger.Position), at the cost of one lookup.
func (n *Node) Position(account peer.ID, unit string) int64 {
	var pos int64
	n.views.work(func(w *views) { pos = w.ledger.Position(account, unit) })
	return pos
}

// Flagged lists the authors the views flag now, in byte order, at the
// cost of that list (a snapshot costs what changed since the last).
func (n *Node) Flagged() []peer.ID {
	var out []peer.ID
	n.views.work(func(w *views) { out = w.ledger.Flags() })
	return out
}

// MIPs returns the node's MIP registry: the built-ins and the MIPs
// published as mip entries it holds.
func (n *Node) MIPs() *mip.Registry { return n.views.reg }

// ReadViews computes the settlement views of the entries in r, as a node
// over r would hold them at start, without running one. reg receives the
// mip entries of r; nil means the built-ins.
func ReadViews(r vault.Reader, pins settle.Pins, reg *mip.Registry) (*Views, error) {
	if reg == nil {
		reg = mip.Builtins()
	}
	w := newViews(reg, pins)
	if err := w.load(r); err != nil {
		return nil, err
	}
	return w.snapshot(), nil
}

// feed passes a stored block to the views: a New block with the pending
// ones it joined, or an Equivocation with its author's pending entries.
// Other pending blocks wait until they join, but those of a forked author
// are in the set at once (docs/PROTOCOL.md, 8.2), so the views always
// equal those a restart loads from the vault.
func (n *Node) feed(b protocol.Block, r vault.Result) {
	switch r.Status {
	case vault.Pending:
		if n.views.forked(b.Entry.Author) {
			n.views.add(b)
		}
	case vault.New:
		blocks := []protocol.Block{b}
		for _, c := range r.Joined {
			if j, err := n.store.Get(c); err == nil {
				blocks = append(blocks, j)
			}
		}
		n.views.add(blocks...)
	case vault.Equivocation:
		bs, _ := branches(n.store, b.Entry.Author) // a read error leaves them to the next load
		n.views.add(append([]protocol.Block{b}, bs...)...)
	case vault.Another:
		n.views.add(b)
	}
}

// branches returns author's pending entries: for a forked author, the
// entries of its branches that did not join the log.
func branches(r vault.Reader, author peer.ID) ([]protocol.Block, error) {
	cs, err := r.Waiting(author)
	if err != nil {
		return nil, fmt.Errorf("pending entries of %s: %w", author, err)
	}
	var out []protocol.Block
	for _, c := range cs {
		b, err := r.Get(c)
		if err != nil {
			return nil, fmt.Errorf("pending entry %s: %w", c, err)
		}
		out = append(out, b)
	}
	return out, nil
}

// forked reports whether the views' set holds a fork of author.
func (w *views) forked(author peer.ID) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.ledger.Set().Fork(author)
	return ok
}

// ReadGovernance runs fn on the node's governance view, under the views'
// lock: fn must not keep the view.
func (n *Node) ReadGovernance(fn func(v *govern.View)) {
	n.views.work(func(w *views) { fn(w.gov) })
}
