package scale

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// batchEntries is how many entries one vault transaction stores. Larger
// batches cost more per entry: the index keys of a batch land in the
// middle of a few leaves, which bbolt grows in memory until the commit, so
// each key moves the ones after it (a 100k build took 4.0-7.5 s with
// 4,000 entries a batch, 9.6-12.8 s with 20,000, in one session).
const batchEntries = 4_000

// openKept is how many unattested proofs the manifest names.
const openKept = 64

// Build writes a home of size s at dir, which must not exist or be empty:
// config.toml, api.token and a vault holding the entries (see the package
// doc), all or nothing (home.Create). The home's own log is empty; its
// identity is a verifier of the district.
func Build(dir string, s Size) (Manifest, error) {
	if err := s.check(); err != nil {
		return Manifest{}, err
	}
	start := time.Now()
	var m Manifest
	err := home.Create(home.Home{Dir: dir}, config(), func(tmp home.Home) error {
		v, err := vault.Create(tmp.Vault(), vault.Options{})
		if err != nil {
			return err
		}
		m, err = fill(v, s)
		if cerr := v.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("build scale home %s: %w", s, err)
	}
	m.Took = time.Since(start)
	return m, nil
}

// config is the home's config: the district, no bootstrap peers, no
// mDNS, loopback addresses only.
func config() home.Config {
	c := home.DefaultConfig(District, home.Laptop)
	c.Network.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	c.Network.MDNS = false
	return c
}

// builder signs the entries of one home and stores them in batches.
type builder struct {
	s       Size
	v       *vault.Bolt
	authors []*signer
	targets [][]target // per author: a clinic's attested proofs
	open    []target   // unattested clinic proofs
	batch   []protocol.Block
	stored  int
}

func fill(v *vault.Bolt, s Size) (Manifest, error) {
	b := &builder{s: s, v: v, authors: make([]*signer, s.Authors), targets: make([][]target, s.Authors)}
	err := b.each(func(i int) ([]protocol.Block, error) {
		var err error
		b.authors[i], err = newSigner(i)
		return nil, err
	})
	if err != nil {
		return Manifest{}, err
	}
	steps := []func() error{b.district, b.clinics, b.others, b.flush}
	for _, step := range steps {
		if err := step(); err != nil {
			return Manifest{}, err
		}
	}
	m := Manifest{Size: s, Entries: b.stored, District: District, Unit: Unit, Own: v.ID().String(), Clinic: b.authors[2].id.String()}
	for _, t := range b.open {
		m.Open = append(m.Open, t.proof.String())
	}
	return m, nil
}

// district stores the steward's log: the genesis, which names the home's
// own identity and the first verifiers, then a role entry granting each
// verifier the genesis has no room for.
func (b *builder) district() error {
	steward, err := newSigner(b.s.Authors)
	if err != nil {
		return err
	}
	verifiers := []peer.ID{b.v.ID()}
	for i, a := range b.authors {
		if roleOf(i) == verifier {
			verifiers = append(verifiers, a.id)
		}
	}
	blk, err := steward.next(settle.KindDistrict, District, genesis(steward.id, verifiers))
	if err != nil {
		return err
	}
	log := []protocol.Block{blk}
	for _, id := range verifiers[min(len(verifiers), settle.MaxPeers):] {
		blk, err := steward.next(settle.KindRole, District, &settle.Role{Subject: []byte(id), Role: settle.RoleVerifier, Grant: true})
		if err != nil {
			return err
		}
		log = append(log, blk)
	}
	return b.put(log)
}

// clinics stores every clinic's proofs and keeps the attested ones.
func (b *builder) clinics() error {
	err := b.each(func(i int) ([]protocol.Block, error) {
		if roleOf(i) != clinic {
			return nil, nil
		}
		a, log := b.authors[i], make([]protocol.Block, 0, b.s.PerAuthor)
		for range b.s.PerAuthor {
			blk, err := a.next(protocol.KindProof, District, proofBody(i, a.seq+1))
			if err != nil {
				return nil, err
			}
			if attested(i, a.seq) {
				b.targets[i] = append(b.targets[i], target{blk.CID, a.id})
			}
			log = append(log, blk)
		}
		return log, nil
	})
	if err != nil {
		return err
	}
	for i := 2; i < len(b.authors) && len(b.open) < openKept; i++ {
		if a := b.authors[i]; roleOf(i) == clinic && !attested(i, a.seq) { // its last proof
			b.open = append(b.open, target{a.prev, a.id})
		}
	}
	return nil
}

// others stores the verifiers' attestations and the funders' pledge and
// receipts. Verifiers 2k and 2k+1 (counted among verifiers) attest the
// same PerAuthor proofs; funders pay for attested proofs in turn.
func (b *builder) others() error {
	all := slices.Concat(b.targets...)
	if len(all) == 0 {
		return fmt.Errorf("size %s leaves no proof attested", b.s)
	}
	return b.each(func(i int) ([]protocol.Block, error) {
		a, k, per := b.authors[i], i/10, b.s.PerAuthor
		var log []protocol.Block
		switch roleOf(i) {
		case verifier:
			for j := range per {
				blk, err := a.next(protocol.KindAttest, District, attestBody(all[((k/2)*per+j)%len(all)]))
				if err != nil {
					return nil, err
				}
				log = append(log, blk)
			}
		case funder:
			blk, err := a.next(protocol.KindPledge, District, pledgeBody())
			if err != nil {
				return nil, err
			}
			log = append(log, blk)
			for j := range per - 1 {
				blk, err := a.next(protocol.KindReceipt, District, receiptBody(all[(k*(per-1)+j)%len(all)]))
				if err != nil {
					return nil, err
				}
				log = append(log, blk)
			}
		}
		return log, nil
	})
}

// each runs sign for every author number on all cores and stores what it
// returns, in batches, from the calling goroutine.
func (b *builder) each(sign func(i int) ([]protocol.Block, error)) error {
	workers := runtime.GOMAXPROCS(0)
	jobs, logs := make(chan int), make(chan []protocol.Block, 2*workers)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				log, err := sign(i)
				if err != nil {
					errs <- err
					return
				}
				logs <- log
			}
		}()
	}
	stop := make(chan struct{})
	var once sync.Once
	quit := func() { once.Do(func() { close(stop) }) }
	go func() {
		defer close(jobs)
		for i := range b.s.Authors {
			select {
			case jobs <- i:
			case <-stop:
				return
			}
		}
	}()
	go func() { wg.Wait(); close(logs) }()
	var err error
	for log := range logs {
		if err == nil {
			if err = b.put(log); err != nil {
				quit()
			}
		}
	}
	quit()
	select {
	case werr := <-errs:
		return werr
	default:
		return err
	}
}
