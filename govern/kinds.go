package govern

import (
	"fmt"

	"github.com/mesocosm/mycel/protocol"
)

// Kind names of governance.
const (
	KindProposal = "proposal"
	KindVote     = "vote"
)

// MaxNote is the size limit of a proposal's or a vote's note, in bytes.
const MaxNote = 1024

// Register adds the governance kinds to k: proposal and vote.
func Register(k protocol.Kinds) {
	k.Register(KindProposal, func() protocol.Body { return new(Proposal) })
	k.Register(KindVote, func() protocol.Body { return new(Vote) })
}

var (
	_ protocol.Body = (*Proposal)(nil)
	_ protocol.Body = (*Vote)(nil)
)

func badBody(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{protocol.ErrBadBody}, args...)...)
}
