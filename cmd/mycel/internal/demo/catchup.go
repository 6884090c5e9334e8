package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/node"
)

// lateJoiner starts a peer that missed everything and lets it catch up by
// anti-entropy sync with one neighbour.
func (d *district) lateJoiner(ctx context.Context) error {
	p := d.latecm
	if err := p.start(ctx, District); err != nil {
		return err
	}
	d.say.say("newcomer %s comes online with an empty vault and meets only the farm", short(p.node.ID().String()))
	start := time.Now()
	if err := p.node.Connect(ctx, d.farm.node.AddrInfo()); err != nil {
		return err
	}
	target, err := d.farm.vault.Digest()
	if err != nil {
		return err
	}
	if err := p.waitUntil(ctx, func() bool {
		got, err := p.vault.Digest()
		return err == nil && got == target
	}); err != nil {
		return err
	}
	n, _ := p.vault.Count()
	d.say.say("newcomer caught up by sync: %d entries in %s, each checked (signature, CID, schema) before storing", n, time.Since(start).Round(time.Millisecond))
	d.online = append(d.online, p)
	return nil
}

// offline carries the district to a peer with no network: the outpost
// writes what it has (a want file), the school exports what it lacks to a
// file on a "USB stick", and the outpost imports it.
func (d *district) offline(ctx context.Context) error {
	stick := filepath.Join(d.dir, "usb-stick")
	if err := os.MkdirAll(stick, 0o755); err != nil {
		return err
	}
	want, err := bundle.WantOf(d.outpost.vault)
	if err != nil {
		return err
	}
	d.say.say("outpost writes its want file (its version vector: %d authors known)", len(want.Heads))
	path := filepath.Join(stick, District+".car")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	st, err := bundle.Export(f, d.school.vault, bundle.Filter{Since: &want}, nil)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	d.say.say("school exports what the outpost lacks: %d entries from %d authors, %d bytes, a plain CAR file", st.Entries, st.Authors, st.Bytes)
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	rep, err := bundle.Import(in, node.DefaultCheck(), d.outpost.vault.Put, nil)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	d.say.say("outpost imports the stick: %d new, %d known, %d rejected", rep.New, rep.Known, rep.Rejected)
	return ctx.Err()
}
