package sim

import "math/rand/v2"

// Reader is an io.Reader over a seeded generator, for identity keys
// (crypto.GenerateEd25519Key) that a seed fixes.
type Reader struct{ R *rand.Rand }

// Read fills p from the generator; it never fails.
func (r Reader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.R.Uint32())
	}
	return len(p), nil
}

// New returns the generator a seed fixes: PCG seeded by seed.
func New(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }
