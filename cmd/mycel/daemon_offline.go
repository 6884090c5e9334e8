package main

import (
	"context"
	"errors"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// errNoNetwork: the daemon runs with --offline.
var errNoNetwork = errors.New("the daemon runs with --offline: restart it without --offline to reach peers")

// offlineMesh is the api.Mesh of `mycel daemon --offline`: no libp2p host,
// no peers; published entries are stored in the vault and travel by
// bundles, or by sync when the daemon next runs online.
type offlineMesh struct{ v *vault.Bolt }

var _ api.Mesh = offlineMesh{}

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

func (m offlineMesh) Publish(_ context.Context, e protocol.Entry) (protocol.Block, error) {
	return m.v.Append(m.v.Key(), e)
}
