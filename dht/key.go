package dht

import (
	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Key is a provider key: a well-known name and its CID
// (protocol.NameKey). Keys are comparable values.
type Key struct {
	Name string
	CID  cid.Cid
}

// Name prefixes of provider keys.
const (
	districtPrefix = "mycel/1/district/"
	authorPrefix   = "mycel/1/author/"
	gridPrefix     = "mycel/1/grid/"
	arenaPrefix    = "mycel/1/arena/"
)

func keyOf(name string) Key { return Key{Name: name, CID: protocol.NameKey(name)} }

// DistrictKey names the peers that follow a district ("" is the global
// scope): mycel/1/district/<name>.
func DistrictKey(district string) Key { return keyOf(districtPrefix + district) }

// AuthorKey names the peers that hold an author's log:
// mycel/1/author/<peer ID, base58>.
func AuthorKey(author peer.ID) Key { return keyOf(authorPrefix + author.String()) }

// GridKey names compute providers of a capability: mycel/1/grid/<capability>.
func GridKey(capability string) Key { return keyOf(gridPrefix + capability) }

// ArenaKey names the peers that follow a district's arena:
// mycel/1/arena/<district>.
func ArenaKey(district string) Key { return keyOf(arenaPrefix + district) }

func (k Key) String() string { return k.Name }
