package protocol

import (
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// Sum returns the CID of a block: CIDv1, codec dag-cbor, sha2-256.
func Sum(data []byte) cid.Cid {
	h, err := mh.Sum(data, mh.SHA2_256, -1)
	if err != nil {
		panic(err) // sha2-256 is always available
	}
	return cid.NewCidV1(cid.DagCBOR, h)
}

// NameKey returns the CID of a well-known name, such as
// "mycel/1/district/meso-valley", used as a DHT provider key.
func NameKey(name string) cid.Cid {
	h, _ := mh.Sum([]byte(name), mh.SHA2_256, -1)
	return cid.NewCidV1(cid.Raw, h)
}
