package vault

import (
	"github.com/mesocosm/mycel/protocol"
)

// indexField is one index key's field and value.
type indexField struct {
	field byte
	value string
}

// indexValues lists the index fields of a joined entry: its kind, its
// district unless global, and for a proof its MIP reference. A query for a
// bare MIP id ("MIP-HLT") scans the references with that id.
func indexValues(e protocol.Entry) []indexField {
	fs := make([]indexField, 1, 3)
	fs[0] = indexField{fieldKind, e.Kind}
	if e.District != "" {
		fs = append(fs, indexField{fieldDistrict, e.District})
	}
	if ref := mipRef(e); ref != "" {
		fs = append(fs, indexField{fieldMIP, ref})
	}
	return fs
}

// mipRef returns the MIP a proof entry names, or "" when e is not a
// proof or its body does not decode (Put does not judge bodies).
func mipRef(e protocol.Entry) string {
	if e.Kind != protocol.KindProof {
		return ""
	}
	var p protocol.Proof
	if err := protocol.Unmarshal(e.Body, &p); err != nil {
		return ""
	}
	if _, _, ok := protocol.ParseMIPRef(p.MIP); !ok {
		return ""
	}
	return p.MIP
}
