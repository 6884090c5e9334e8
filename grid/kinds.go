package grid

import "github.com/mesocosm/mycel/protocol"

// Kind names of the compute grid.
const (
	KindOffer  = "offer"
	KindJob    = "job"
	KindResult = "result"
)

// Runtime is the one runtime an offer or a job names today: a WebAssembly
// module run as a WASI preview 1 command.
const Runtime = "wasm/wasip1"

// Limits of the grid bodies.
const (
	MaxMemoryMiB = 4096  // wasm32 addresses 4 GiB
	MaxSeconds   = 86400 // a day of wall-clock time per job
	MaxDistricts = 16    // districts one offer serves
	MaxArgs      = 64    // arguments of one job
	MaxArg       = 1024  // bytes of one argument
	MaxReplicas  = 7     // providers one job asks to agree
	MaxError     = 128   // bytes of a result's error
	MaxOutput    = 1 << 32
)

// Register adds the grid kinds to k: offer, job and result.
func Register(k protocol.Kinds) {
	k.Register(KindOffer, func() protocol.Body { return new(Offer) })
	k.Register(KindJob, func() protocol.Body { return new(Job) })
	k.Register(KindResult, func() protocol.Body { return new(Result) })
}

var (
	_ protocol.Body = (*Offer)(nil)
	_ protocol.Body = (*Job)(nil)
	_ protocol.Body = (*Result)(nil)
)
