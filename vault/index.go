package vault

import (
	"strings"

	"github.com/mesocosm/mycel/protocol"
)

// indexValues lists the values blk is indexed under, per index bucket.
// Empty values (the global district) are not indexed.
func indexValues(e protocol.Entry) map[string][]string {
	vals := map[string][]string{string(bKind): {e.Kind}}
	if e.District != "" {
		vals[string(bDistrict)] = []string{e.District}
	}
	if ref := mipRef(e); ref != "" {
		id, _, _ := strings.Cut(ref, "@")
		vals[string(bMIP)] = []string{ref, id}
	}
	return vals
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

// index writes blk's index keys; sk is its akey|seq.
func (w writer) index(sk []byte, blk protocol.Block) error {
	c := blk.CID.Bytes()
	for bucket, values := range indexValues(blk.Entry) {
		for _, v := range values {
			if err := w.b([]byte(bucket)).Put(indexKey(v, sk), c); err != nil {
				return err
			}
		}
	}
	return nil
}
