package arena

import "github.com/mesocosm/mycel/protocol"

// Kind names of the arena.
const (
	KindProblem  = "problem"
	KindSolution = "solution"
	KindAccept   = "accept"
)

// Limits of the arena bodies, in bytes of UTF-8 or in list entries.
const (
	MaxTitle       = 200
	MaxDescription = 8 << 10
	MaxCriteria    = 2 << 10
	MaxSummary     = 2 << 10
	MaxArtifacts   = 32
	MaxProofs      = 32
	MaxShares      = 16
)

// Register adds the arena kinds to k: problem, solution and accept.
func Register(k protocol.Kinds) {
	k.Register(KindProblem, func() protocol.Body { return new(Problem) })
	k.Register(KindSolution, func() protocol.Body { return new(Solution) })
	k.Register(KindAccept, func() protocol.Body { return new(Accept) })
}

var (
	_ protocol.Body = (*Problem)(nil)
	_ protocol.Body = (*Solution)(nil)
	_ protocol.Body = (*Accept)(nil)
)
