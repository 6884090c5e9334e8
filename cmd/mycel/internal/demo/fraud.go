package demo

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// doubleSpend has a market stall pay the farm from its laptop, then sign a
// second, different receipt at the same place in its log on a phone that
// holds the same key. The phone's receipt reaches the school by a bundle;
// the school's node holds both, publishes the pair as a fraud proof, and
// every peer flags the stall: neither receipt counts.
func (d *district) doubleSpend(ctx context.Context) error {
	stall := d.stall
	first, err := d.pay(ctx, stall, d.farm, 700, "seed maize")
	if err != nil {
		return err
	}
	d.say.say("stall pays farm 700 %s (receipt %s, seq %d)", Unit, short(first.CID.String()), first.Entry.Seq)
	if err := d.spread(ctx, first); err != nil {
		return err
	}
	second, stick, err := d.phoneReceipt(stall, d.school, 700, "school fees")
	if err != nil {
		return err
	}
	d.say.say("the stall's phone, same key, signs a different receipt at seq %d: stall pays school 700 %s", second.Entry.Seq, Unit)
	rep, err := d.school.node.Import(stick, nil)
	if err != nil || rep.Forks != 1 {
		return fmt.Errorf("school imports the phone's bundle: %+v, %v", rep, err)
	}
	d.say.say("the phone's bundle reaches the school: %d new, of which %d at a seq already used; the school's node holds both receipts", rep.New, rep.Forks)
	start := time.Now()
	for _, p := range d.online {
		if err := p.waitUntil(ctx, func() bool { return flags(p, stall) }); err != nil {
			return fmt.Errorf("waiting for the stall to be flagged: %w", err)
		}
	}
	d.say.say("school's node gossips the pair as a fraud proof; all %d peers checked both signatures and flag stall in %s",
		len(d.online), time.Since(start).Round(time.Millisecond))
	d.say.detail("a flagged author's receipts count for nobody: farm and school keep their balances")
	return nil
}

// pay publishes a receipt from p to payee.
func (d *district) pay(ctx context.Context, p, payee *peer, amount uint64, memo string) (protocol.Block, error) {
	body, err := protocol.EncodeBody(&settle.Receipt{
		Payee: []byte(payee.vault.ID()), Amount: amount, Unit: Unit, For: []protocol.Link{}, Memo: memo,
	})
	if err != nil {
		return protocol.Block{}, err
	}
	return d.publish(ctx, p, protocol.KindReceipt, body)
}

// phoneReceipt signs a receipt with p's key in a second vault that knows
// nothing of p's log, so it lands at a seq p already used, and exports the
// phone's log as a bundle.
func (d *district) phoneReceipt(p, payee *peer, amount uint64, memo string) (protocol.Block, *bytes.Buffer, error) {
	phone, err := vault.CreateWithKey(filepath.Join(d.dir, p.name+"-phone.db"), p.vault.Key(), vault.Options{})
	if err != nil {
		return protocol.Block{}, nil, err
	}
	defer phone.Close()
	body, err := protocol.EncodeBody(&settle.Receipt{
		Payee: []byte(payee.vault.ID()), Amount: amount, Unit: Unit, For: []protocol.Link{}, Memo: memo,
	})
	if err != nil {
		return protocol.Block{}, nil, err
	}
	b, err := phone.Append(p.vault.Key(), protocol.Entry{
		Kind: protocol.KindReceipt, District: District, Body: body, Time: time.Now().UnixMilli(),
	})
	if err != nil {
		return protocol.Block{}, nil, err
	}
	var stick bytes.Buffer
	if _, err := bundle.Export(&stick, phone, bundle.Filter{}, nil); err != nil {
		return protocol.Block{}, nil, err
	}
	return b, &stick, nil
}

// flags reports whether p's views flag who.
func flags(p, who *peer) bool {
	v, err := viewsOf(p.vault)
	return err == nil && slices.Contains(v.Flags(), who.vault.ID())
}
