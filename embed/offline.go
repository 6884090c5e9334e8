package embed

import (
	"context"
	"errors"

	"github.com/mesocosm/mycel/api"
)

// errNoNetwork: the daemon runs with --offline.
var errNoNetwork = errors.New("the daemon runs with --offline: restart it without --offline to reach peers")

// offlineMesh is the api.Mesh of `mycel daemon --offline`: a node with no
// network (node.NewOffline), no addresses and no peers. Its settler pays
// and writes fraud entries as online; published and imported entries go
// through the node into the vault and travel by bundles, or by sync when
// the daemon next runs online.
type offlineMesh struct{ *mesh }

var (
	_ api.Mesh     = offlineMesh{}
	_ api.Importer = offlineMesh{}
)

func (offlineMesh) Addrs() []string      { return []string{} }
func (offlineMesh) Reachability() string { return api.ReachOffline }
func (offlineMesh) Relays() []string     { return []string{} }
func (offlineMesh) Peers() []api.Peer    { return []api.Peer{} }

func (offlineMesh) Connect(_ context.Context, addr string) (api.Peer, error) {
	if err := api.CheckPeerAddr(addr); err != nil {
		return api.Peer{}, err
	}
	return api.Peer{}, errNoNetwork
}
