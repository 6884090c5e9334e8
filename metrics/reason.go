package metrics

import (
	"errors"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
)

// reasons names the sentinel errors a rejection may wrap, first match
// wins: a label from a short fixed set, never the error's free text.
var reasons = []struct {
	err  error
	name string
}{
	{protocol.ErrTooLarge, "too_large"},
	{protocol.ErrNonCanonical, "non_canonical"},
	{protocol.ErrMalformed, "malformed"},
	{protocol.ErrVersion, "version"},
	{protocol.ErrBadSignature, "bad_signature"},
	{protocol.ErrBadAuthor, "bad_author"},
	{protocol.ErrBadCID, "bad_cid"},
	{protocol.ErrUnknownKind, "unknown_kind"},
	{protocol.ErrFuture, "future"},
	{mip.ErrUnknownMIP, "unknown_mip"},
	{mip.ErrClaim, "bad_claim"},
	{protocol.ErrBadCommitment, "bad_commitment"},
	{protocol.ErrBadBody, "bad_body"},
}

// Reason is the metric label of a rejection's reason: one of a short
// fixed set, "other", or "none" for a nil error.
func Reason(err error) string {
	if err == nil {
		return "none"
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.name
		}
	}
	return "other"
}
