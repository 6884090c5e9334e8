package main

import (
	"context"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/vault"
)

// daemonDoctor answers GET /v1/doctor for the running daemon.
func daemonDoctor(n *node.Node, m api.Mesh, v *vault.Bolt, ncfg node.Config, offline bool) func(context.Context) (api.DoctorFacts, error) {
	return func(context.Context) (api.DoctorFacts, error) {
		df := api.DoctorFacts{
			Listen: m.Addrs(), MDNS: ncfg.MDNS, PortMap: !ncfg.NoPortMap && !offline, Offline: offline,
			Reachability: m.Reachability(), Relays: len(ncfg.Relays), Reserved: m.Relays(),
			DHTPeers: n.RoutingTableSize(), ClockSkewMS: []int64{},
		}
		for _, p := range m.Peers() {
			df.Peers++
			if p.ClockSkewMS != nil {
				df.ClockSkewMS = append(df.ClockSkewMS, *p.ClockSkewMS)
			}
		}
		df.Vault = vaultFacts(v, ncfg.Pins)
		return df, nil
	}
}
