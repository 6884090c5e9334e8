package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/mesocosm/mycel/grid/wasm"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Unit is the unit the demo's pledges pay in.
const Unit = "credit"

// district is the demo's world: its peers by role and the narrator.
type district struct {
	dir    string
	say    *narrator
	runner *wasm.Runner // runs the grid step's jobs on every provider

	online                      []*peer // started at set-up
	all                         []*peer // every peer, for the summary
	clinic, farm, school        *peer
	asha, bruno, funder, latecm *peer
	stall                       *peer
	outpost                     *peer // never online: catches up from a bundle

	proofs []published // in publication order
}

// published is a proof the demo published, for the story.
type published struct {
	by    *peer
	block protocol.Block
	what  string
}

func (d *district) run(ctx context.Context, peers int) error {
	steps := []struct {
		title string
		fn    func(context.Context) error
	}{
		{"a district of real peers on loopback", func(ctx context.Context) error { return d.setUp(ctx, peers) }},
		{"the district is founded", d.found},
		{"evidence stays local; proofs travel", d.publishProofs},
		{"a funder pledges on outcomes", d.pledge},
		{"verifiers attest", d.attest},
		{"settlement on verified outcome", d.settle},
		{"a double payment is caught", d.doubleSpend},
		{"compute on the grid: a liar is outvoted", d.gridJob},
		{"the arena: a problem solved, a bounty paid", d.arenaBounty},
		{"governance: the district ratifies a new MIP", d.ratify},
		{"a late joiner catches up by sync", d.lateJoiner},
		{"an offline outpost catches up from a USB stick", d.offline},
		{"every peer computes the same ledger", d.summary},
	}
	for _, s := range steps {
		d.say.section(s.title)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("demo: %s: %w", s.title, err)
		}
	}
	return nil
}

func (d *district) close() {
	for _, p := range d.all {
		p.close()
	}
	if d.runner != nil {
		d.runner.Close()
	}
}

// setUp creates every vault and starts the online peers, connected as a
// ring with chords, so that most pairs never connect directly.
func (d *district) setUp(ctx context.Context, n int) error {
	roles := []struct {
		to   **peer
		name string
		role string
	}{
		{&d.clinic, "clinic", "health clinic, publishes MIP-HLT proofs"},
		{&d.farm, "farm", "farm co-op, publishes MIP-AGR proofs"},
		{&d.school, "school", "school, steward of the district, publishes MIP-EDU proofs"},
		{&d.asha, "asha", "verifier"},
		{&d.bruno, "bruno", "verifier"},
		{&d.funder, "funder", "funder, pledges per verified outcome"},
		{&d.stall, "stall", "market stall, pays from a laptop and a phone"},
	}
	for _, r := range roles {
		p, err := newPeer(d.dir, r.name, r.role)
		if err != nil {
			return err
		}
		*r.to = p
		d.online = append(d.online, p)
	}
	for i := 0; i < n-MinPeers; i++ {
		p, err := newPeer(d.dir, fmt.Sprintf("neighbour-%d", i+1), "neighbour, holds and relays entries")
		if err != nil {
			return err
		}
		d.online = append(d.online, p)
	}
	d.all = append(d.all, d.online...)
	var err error
	if d.latecm, err = newPeer(d.dir, "newcomer", "late joiner"); err != nil {
		return err
	}
	if d.outpost, err = newPeer(d.dir, "outpost", "offline health post, no network"); err != nil {
		return err
	}
	d.all = append(d.all, d.latecm, d.outpost)
	r, err := wasm.NewRunner(ctx, wasm.Options{})
	if err != nil {
		return err
	}
	d.runner = r
	for _, p := range d.online {
		p.runner = node.WasmRunner(r)
		if p == d.bruno {
			p.runner = liar{p.runner}
		}
		if err := p.start(ctx, District); err != nil {
			return err
		}
		d.say.say("%-12s %s  %s", p.name, short(p.node.ID().String()), p.role)
	}
	return d.connectRing(ctx)
}

// connectRing connects each online peer to the one before it and the one
// two before, then waits until every peer has a gossip neighbour in the
// district's topic.
func (d *district) connectRing(ctx context.Context) error {
	links := 0
	for i, p := range d.online {
		for _, back := range []int{1, 2} {
			if i-back < 0 || (len(d.online) > 3 && back == 2 && i%2 == 1) {
				continue
			}
			q := d.online[i-back]
			if err := p.node.Connect(ctx, q.node.AddrInfo()); err != nil {
				return fmt.Errorf("connect %s to %s: %w", p.name, q.name, err)
			}
			links++
		}
	}
	d.say.say("%d peers connected by %d links; most pairs never meet directly", len(d.online), links)
	for _, p := range d.online {
		if err := p.waitTopicPeer(ctx); err != nil {
			return err
		}
	}
	d.say.say("gossip meshes formed on /mycel/1/d/%s/entries", District)
	return nil
}

// found has the school publish the district's genesis: its stewards, its
// recognised verifiers and its credit limit.
func (d *district) found(ctx context.Context) error {
	body, err := protocol.EncodeBody(&settle.District{
		Name:      District,
		Stewards:  [][]byte{[]byte(d.school.vault.ID())},
		Verifiers: [][]byte{[]byte(d.asha.vault.ID()), []byte(d.bruno.vault.ID())},
		Limits:    map[string]uint64{Unit: 1_000_000},
	})
	if err != nil {
		return err
	}
	b, err := d.publish(ctx, d.school, settle.KindDistrict, body)
	if err != nil {
		return err
	}
	d.say.say("school publishes the genesis of %s: steward school; verifiers asha, bruno; credit limit 1,000,000 %s", District, Unit)
	return d.spread(ctx, b)
}

// publish signs body as the next entry of p's log and gossips it.
func (d *district) publish(ctx context.Context, p *peer, kind string, body []byte) (protocol.Block, error) {
	b, err := p.node.Publish(ctx, protocol.Entry{
		Kind: kind, District: District, Body: body, Time: time.Now().UnixMilli(),
	})
	if err != nil {
		return protocol.Block{}, fmt.Errorf("%s publishes %s: %w", p.name, kind, err)
	}
	return b.Block, nil
}

// spread waits until every online peer holds b and tells how long it took.
func (d *district) spread(ctx context.Context, b protocol.Block) error {
	start := time.Now()
	for _, p := range d.online {
		if err := p.waitFor(ctx, b.CID); err != nil {
			return err
		}
	}
	d.say.detail("%s reached all %d peers in %s", short(b.CID.String()), len(d.online), time.Since(start).Round(time.Millisecond))
	return nil
}
