package protocol

import "errors"

// Sentinel errors. Decoding and checking errors wrap one of these, so callers
// can branch with errors.Is while users read the wrapped detail.
var (
	ErrTooLarge      = errors.New("entry too large")
	ErrNonCanonical  = errors.New("non-canonical encoding")
	ErrMalformed     = errors.New("malformed entry")
	ErrVersion       = errors.New("unsupported entry version")
	ErrBadSignature  = errors.New("bad signature")
	ErrBadAuthor     = errors.New("bad author")
	ErrBadCID        = errors.New("block does not match its CID")
	ErrUnknownKind   = errors.New("unknown kind")
	ErrBadBody       = errors.New("bad body")
	ErrBadCommitment = errors.New("bad evidence commitment")
)
