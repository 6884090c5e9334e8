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

// doubleSpend has a market stall, known to the district by an earlier
// receipt, pay the farm from its laptop, then sign a second, different
// receipt at the same place in its log on a phone that holds the same key
// and a copy of the stall's log before it. The phone's receipt reaches the
// school by a bundle; the school's node holds both, publishes the pair as
// a fraud proof, and every peer flags the stall: none of its receipts
// count. (A node writes fraud entries only for authors it follows: a
// roster member, or one whose log it held for a while before the fork;
// throwaway keys get none.)
func (d *district) doubleSpend(ctx context.Context) error {
	stall := d.stall
	known, err := d.pay(ctx, stall, d.farm, 50, "a sack of beans")
	if err != nil {
		return err
	}
	d.say.say("stall pays farm 50 %s for a sack of beans (seq %d): every peer now knows the stall's log", Unit, known.Entry.Seq)
	if err := d.spread(ctx, known); err != nil {
		return err
	}
	first, err := d.pay(ctx, stall, d.farm, 700, "seed maize")
	if err != nil {
		return err
	}
	d.say.say("stall pays farm 700 %s (receipt %s, seq %d)", Unit, short(first.CID.String()), first.Entry.Seq)
	if err := d.spread(ctx, first); err != nil {
		return err
	}
	second, stick, err := d.phoneReceipt(stall, d.school, known, 700, "school fees")
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
	if own, err := d.school.vault.Query(vault.Query{Kind: protocol.KindFraud, Author: d.school.vault.ID()}); err != nil || len(own) != 1 {
		return fmt.Errorf("the school's node wrote %d fraud entries, want 1 (%v)", len(own), err)
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

// phoneReceipt signs a receipt with p's key in a second vault that holds
// p's log only up to synced, so it lands at a seq p already used, and
// exports the phone's log as a bundle.
func (d *district) phoneReceipt(p, payee *peer, synced protocol.Block, amount uint64, memo string) (protocol.Block, *bytes.Buffer, error) {
	phone, err := vault.CreateWithKey(filepath.Join(d.dir, p.name+"-phone.db"), p.vault.Key(), vault.Options{})
	if err != nil {
		return protocol.Block{}, nil, err
	}
	defer phone.Close()
	if _, err := phone.Put(synced); err != nil {
		return protocol.Block{}, nil, err
	}
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
