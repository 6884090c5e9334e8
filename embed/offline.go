package embed

import (
	"context"
	"errors"

	"github.com/mesocosm/mycel/api"
)

// ErrNoNetwork is what Connect answers on an Offline peer, unless
// Options.OfflineErr says otherwise.
var ErrNoNetwork = errors.New("this peer runs offline: it reaches no peers; entries travel by bundles")

// offlineMesh is the api.Mesh of an Offline peer (`mycel daemon
// --offline`): a node with no network (node.NewOffline), no addresses
// and no peers. Its settler pays and writes fraud entries as online;
// published and imported entries go through the node into the vault and
// travel by bundles, or by sync when the vault next runs online.
type offlineMesh struct {
	*mesh
	why error // Connect's answer
}

var (
	_ api.Mesh     = offlineMesh{}
	_ api.Importer = offlineMesh{}
)

func (offlineMesh) Addrs() []string      { return []string{} }
func (offlineMesh) Reachability() string { return api.ReachOffline }
func (offlineMesh) Relays() []string     { return []string{} }
func (offlineMesh) Peers() []api.Peer    { return []api.Peer{} }

func (m offlineMesh) Connect(_ context.Context, addr string) (api.Peer, error) {
	if err := api.CheckPeerAddr(addr); err != nil {
		return api.Peer{}, err
	}
	return api.Peer{}, m.why
}
