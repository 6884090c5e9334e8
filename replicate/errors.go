package replicate

import (
	"errors"
	"fmt"
)

// Errors returned by Sync and Fetch; a session that fails wraps one of
// them. A *RemoteError carries the reason a peer gave for aborting.
var (
	ErrClosed         = errors.New("replicate service closed")
	ErrMalformed      = errors.New("malformed message")
	ErrTooLarge       = errors.New("message too large")
	ErrTooManyRounds  = errors.New("too many reconciliation rounds")
	ErrTooManyRejects = errors.New("too many rejected blocks")
	ErrUnexpected     = errors.New("block not requested")
	ErrTooManyCIDs    = errors.New("too many CIDs in fetch request")
	// ErrBusy: the peer refused this session because it is running one
	// with this peer that it started itself, and its peer ID is the lower:
	// the pair needs one session, not two.
	ErrBusy = errors.New("peer is already syncing with us")
	// ErrFull: the peer answers as many sync sessions as it allows, from
	// this peer (Config.MaxServedPerPeer) or in all (Config.MaxServed).
	ErrFull = errors.New("too many sync sessions")
	// ErrMemory: the stream's resource scope refused the memory a
	// message needs.
	ErrMemory = errors.New("stream memory limit reached")
	// ErrTimeout: the peer made no progress within Config.Idle, or the
	// session outlived its deadline.
	ErrTimeout = errors.New("peer stalled")
)

// Code is a wire error code, sent in an error message before a side
// closes a session it aborts.
type Code uint64

// Error codes of /mycel/sync/1 and /mycel/fetch/1.
const (
	CodeMalformed Code = 1 // a message did not decode or broke the protocol
	CodeTooLarge  Code = 2 // a message or turn exceeded its size limit
	CodeRounds    Code = 3 // reconciliation took more than MaxTurns turns
	CodeRejects   Code = 4 // more than MaxRejects blocks failed the checks
	CodeInternal  Code = 5 // the sender's store failed
	CodeRequest   Code = 6 // fetch request exceeded MaxFetch CIDs
	CodeBusy      Code = 7 // both peers started a session; the lower peer ID's one goes on
	CodeFull      Code = 8 // too many sessions or no memory for a message: try later
	CodeTimeout   Code = 9 // the peer stalled past the idle or session deadline
)

func (c Code) String() string {
	switch c {
	case CodeMalformed:
		return "malformed"
	case CodeTooLarge:
		return "too large"
	case CodeRounds:
		return "too many rounds"
	case CodeRejects:
		return "too many rejects"
	case CodeInternal:
		return "internal"
	case CodeRequest:
		return "bad request"
	case CodeBusy:
		return "busy"
	case CodeFull:
		return "full"
	case CodeTimeout:
		return "timeout"
	}
	return fmt.Sprintf("code %d", uint64(c))
}

// RemoteError is an abort reported by the other peer.
type RemoteError struct {
	Code   Code
	Reason string
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("peer aborted (%s): %s", e.Code, e.Reason)
}

// Is makes a busy refusal match ErrBusy and a full one ErrFull.
func (e *RemoteError) Is(target error) bool {
	return target == ErrBusy && e.Code == CodeBusy || target == ErrFull && e.Code == CodeFull
}

// codeOf maps a local failure to the code sent to the peer.
func codeOf(err error) Code {
	switch {
	case errors.Is(err, ErrTooLarge):
		return CodeTooLarge
	case errors.Is(err, ErrTooManyRounds):
		return CodeRounds
	case errors.Is(err, ErrTooManyRejects):
		return CodeRejects
	case errors.Is(err, ErrTooManyCIDs):
		return CodeRequest
	case errors.Is(err, ErrBusy):
		return CodeBusy
	case errors.Is(err, ErrFull), errors.Is(err, ErrMemory):
		return CodeFull
	case errors.Is(err, ErrTimeout):
		return CodeTimeout
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrUnexpected):
		return CodeMalformed
	}
	return CodeInternal
}
