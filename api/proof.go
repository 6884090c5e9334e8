package api

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
	"github.com/mesocosm/mycel/vault"
)

// PublishRequest asks for a proof entry. Claim is the JSON claim object;
// Evidence names vault items by ID, in the order of the Merkle tree's
// leaves. An empty District means the global scope; zero period times
// default to the time of publishing.
type PublishRequest struct {
	MIP         string          `json:"mip"`
	Claim       json.RawMessage `json:"claim"`
	Evidence    []string        `json:"evidence"`
	District    string          `json:"district"`
	PeriodStart time.Time       `json:"period_start,omitzero"`
	PeriodEnd   time.Time       `json:"period_end,omitzero"`
	// NoEvidence publishes a proof that commits to no evidence, which no
	// verifier can check against anything; without it an empty Evidence
	// is refused.
	NoEvidence bool `json:"no_evidence"`
	// Anyway publishes into a district whose name is a near miss of one
	// held here while its own genesis is not (a likely typo, see
	// likelyTypo); without it that is refused.
	Anyway bool `json:"anyway"`
}

// Published describes a new proof entry.
type Published struct {
	CID           string    `json:"cid"`
	Author        string    `json:"author"`
	Seq           uint64    `json:"seq"`
	MIP           string    `json:"mip"`
	District      string    `json:"district"`
	Time          time.Time `json:"time,omitzero"` // absent when TimeMS is outside the years 0-9999
	TimeMS        int64     `json:"time_ms"`
	EvidenceRoot  string    `json:"evidence_root"` // hex
	EvidenceCount uint64    `json:"evidence_count"`
	Sent          bool      `json:"sent"` // false: stored only (no daemon, or one running --offline)
}

// Publish checks the request completely, then appends and sends the proof.
// Nothing is written when any check fails.
func (l *Local) Publish(ctx context.Context, req PublishRequest) (Published, error) {
	body, err := l.proofBody(req)
	if err != nil {
		return Published{}, err
	}
	enc, err := protocol.EncodeBody(body)
	if err != nil {
		return Published{}, badInput("proof: %v", err)
	}
	e := protocol.Entry{Kind: protocol.KindProof, District: req.District, Time: l.now().UnixMilli(), Body: enc}
	var b protocol.Block
	if l.Mesh != nil {
		b, err = l.Mesh.Publish(ctx, e)
	} else {
		b, err = l.append(e)
	}
	if err != nil {
		return Published{}, fmt.Errorf("publish: %w", err)
	}
	return Published{
		CID: b.CID.String(), Author: b.Entry.Author.String(), Seq: b.Entry.Seq,
		MIP: body.MIP, District: b.Entry.District, Time: entryTime(b.Entry.Time), TimeMS: b.Entry.Time,
		EvidenceRoot: hex.EncodeToString(body.Evidence.Root), EvidenceCount: body.Evidence.Count,
		Sent: l.Mesh != nil && l.Mesh.Reachability() != ReachOffline,
	}, nil
}

func (l *Local) append(e protocol.Entry) (protocol.Block, error) {
	key := l.Vault.Key()
	if key == nil {
		return protocol.Block{}, fmt.Errorf("the identity key is locked: give the passphrase (--passphrase-file or MYCEL_PASSPHRASE)")
	}
	return l.Vault.Append(key, e)
}

// proofBody validates every part of req and builds the proof body.
func (l *Local) proofBody(req PublishRequest) (*protocol.Proof, error) {
	if !protocol.ValidDistrict(req.District) {
		return nil, badInput("district %q is not a lowercase path like meso-valley/north", req.District)
	}
	if !req.Anyway {
		if err := l.likelyTypo(req.District); err != nil {
			return nil, err
		}
	}
	claim, err := l.checkClaim(req.MIP, req.Claim)
	if err != nil {
		return nil, err
	}
	if len(req.Evidence) == 0 && !req.NoEvidence {
		return nil, badInput("the proof commits to no evidence, so no verifier can check it: add some (mycel evidence add FILE, then --evidence ID) or pass --no-evidence")
	}
	leaves, err := l.evidenceLeaves(req.Evidence)
	if err != nil {
		return nil, err
	}
	period, err := l.period(req.PeriodStart, req.PeriodEnd)
	if err != nil {
		return nil, err
	}
	root := protocol.Root(leaves)
	return &protocol.Proof{
		MIP:      req.MIP,
		Claim:    claim,
		Evidence: protocol.Commitment{Root: root[:], Count: uint64(len(leaves))},
		Period:   period,
	}, nil
}

func (l *Local) period(start, end time.Time) (protocol.Period, error) {
	now := l.now()
	for _, p := range []struct {
		field string
		at    time.Time
	}{{"period_start", start}, {"period_end", end}} {
		if p.at.After(now) {
			return protocol.Period{}, badInput("%s %s is in the future (now %s): a proof reports an outcome already measured", p.field, p.at.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
	}
	if end.IsZero() {
		end = now
	}
	if start.IsZero() {
		start = end
	}
	if start.After(end) {
		return protocol.Period{}, badInput("period starts %s, after its end %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	if start.UnixMilli() < 0 {
		return protocol.Period{}, badInput("period starts before 1970")
	}
	return protocol.Period{Start: start.UnixMilli(), End: end.UnixMilli()}, nil
}

// Proof is one row of `mycel proofs`.
type Proof struct {
	CID      string         `json:"cid"`
	Author   string         `json:"author"`
	Seq      uint64         `json:"seq"`
	MIP      string         `json:"mip"`
	District string         `json:"district"`
	Time     time.Time      `json:"time,omitzero"` // absent when TimeMS is outside the years 0-9999
	TimeMS   int64          `json:"time_ms"`
	Verified bool           `json:"verified"`
	Claim    map[string]any `json:"claim"`
}

// ProofQuery filters proofs; empty fields match everything. MIP is
// "MIP-HLT@1" or "MIP-HLT" for any version; Author a peer ID or did:key.
// Limit and After page the listing: at most Limit proofs (0: MaxPage),
// after the Next of an earlier page of the same query.
type ProofQuery struct {
	MIP      string `json:"mip"`
	District string `json:"district"`
	Author   string `json:"author"`
	Limit    int    `json:"limit,omitempty"`
	After    string `json:"after,omitempty"`
}

// MaxPage is the most rows a listing returns at once, and its page size
// when no limit is asked for.
const MaxPage = storage.MaxPage

// ProofPage is one page of a proof listing.
type ProofPage struct {
	Proofs []Proof `json:"proofs"`
	// Next continues the listing (ProofQuery.After); "" at its end.
	Next string `json:"next,omitempty"`
}

// Proofs lists a page of the proofs held, in the vault's order: by author
// as the vault first held them, then by seq. A page costs what it holds,
// however many proofs the vault holds.
func (l *Local) Proofs(_ context.Context, q ProofQuery) (ProofPage, error) {
	vq := vault.Query{Kind: protocol.KindProof, MIP: q.MIP, District: q.District}
	if q.Author != "" {
		id, err := protocol.ParsePeer(q.Author)
		if err != nil {
			return ProofPage{}, badInput("author: %v", err)
		}
		vq.Author = id
	}
	if q.Limit < 0 || q.Limit > MaxPage {
		return ProofPage{}, badInput("limit %d: want 1 to %d", q.Limit, MaxPage)
	}
	page, err := l.Vault.QueryPage(vq, q.After, q.Limit)
	if errors.Is(err, storage.ErrBadCursor) {
		return ProofPage{}, badInput("after: %v; list again from the start, without it", err)
	}
	if err != nil {
		return ProofPage{}, fmt.Errorf("query proofs: %w", err)
	}
	verified := l.verifier()
	out := ProofPage{Proofs: make([]Proof, 0, len(page.Blocks)), Next: page.Next}
	kinds := protocol.DefaultKinds()
	for _, b := range page.Blocks {
		body, err := kinds.Decode(b.Entry)
		if err != nil {
			continue // held but not a proof this peer understands
		}
		p := body.(*protocol.Proof)
		out.Proofs = append(out.Proofs, Proof{
			CID: b.CID.String(), Author: b.Entry.Author.String(), Seq: b.Entry.Seq,
			MIP: p.MIP, District: b.Entry.District, Time: entryTime(b.Entry.Time), TimeMS: b.Entry.Time,
			Verified: verified(b), Claim: p.Claim,
		})
	}
	return out, nil
}

// verifier says whether a proof is verified, from one settlement view
// for a whole listing: reading the views once per proof read every
// author's head once per proof without a daemon.
func (l *Local) verifier() func(protocol.Block) bool {
	if l.Settlement != nil {
		if vs, err := l.Settlement(); err == nil {
			return func(b protocol.Block) bool { st, ok := vs.Status(b.CID); return ok && st.Verified }
		}
		return func(protocol.Block) bool { return false }
	}
	if l.Verified != nil {
		return l.Verified
	}
	return func(protocol.Block) bool { return false }
}
