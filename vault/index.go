package vault

import (
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// indexField is one index key's field and value.
type indexField struct {
	field byte
	value string
}

// indexValues appends to fs the index fields of a joined entry: its kind, its
// district unless global, and for a proof the MIP reference its body
// names (see indexedMIP). A query for a bare MIP id ("MIP-HLT") scans the
// references with that id.
func indexValues(fs []indexField, e protocol.Entry) []indexField {
	fs = append(fs, indexField{fieldKind, e.Kind})
	if e.District != "" {
		fs = append(fs, indexField{fieldDistrict, e.District})
	}
	if ref := indexedMIP(e); ref != "" {
		fs = append(fs, indexField{fieldMIP, ref})
	}
	return fs
}

// indexedMIP returns the MIP reference a proof is indexed under: the text
// of its body's first map key when that key is "mip" and the text is a
// valid reference, else "". In canonical (length-first) order "mip" is the
// first key of every body that decodes as protocol.Proof, so this indexes
// every such proof without decoding the body; Query then keeps only the
// bodies that decode (mipRef), so a malformed proof with a well-formed
// mip field is indexed but never returned.
func indexedMIP(e protocol.Entry) string {
	if e.Kind != protocol.KindProof {
		return ""
	}
	b := e.Body
	n, pairs, ok := protocol.Head(b, 5) // a map
	if !ok || pairs == 0 {
		return ""
	}
	b = b[n:]
	const key = "\x63mip"
	if len(b) < len(key) || string(b[:len(key)]) != key {
		return ""
	}
	b = b[len(key):]
	n, arg, ok := protocol.Head(b, 3)
	if !ok || n > 2 { // text up to 255 bytes
		return ""
	}
	size := int(arg)
	if len(b) < n+size {
		return ""
	}
	ref := string(b[n : n+size])
	if _, _, ok := protocol.ParseMIPRef(ref); !ok {
		return ""
	}
	return ref
}

// mipRef returns the MIP a proof entry names, or "" when e is not a
// proof or its body does not decode as protocol.Proof (Put does not judge
// bodies).
func mipRef(e protocol.Entry) string { return storage.MIPRef(e) }
