package arena

import (
	"fmt"
	"unicode/utf8"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/mesocosm/mycel/protocol"
)

func badBody(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{protocol.ErrBadBody}, args...)...)
}

// checkText checks that s is UTF-8 of at most limit bytes.
func checkText(field, s string, limit int) error {
	if len(s) > limit || !utf8.ValidString(s) {
		return badBody("%s is not UTF-8 of at most %d bytes", field, limit)
	}
	return nil
}

// checkEntry checks that l is a link to an entry: a dag-cbor sha2-256
// CIDv1.
func checkEntry(field string, l protocol.Link) error {
	if !l.Defined() {
		return badBody("%s is missing", field)
	}
	if p := l.Prefix(); p.Version != 1 || p.Codec != cid.DagCBOR || p.MhType != mh.SHA2_256 || p.MhLength != 32 {
		return badBody("%s %s is not the dag-cbor sha2-256 CIDv1 of an entry", field, l.Cid)
	}
	return nil
}
