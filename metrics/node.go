package metrics

import (
	"os"

	"github.com/mesocosm/mycel/node"
)

// NodePeers counts n's connected peers by connection kind, for
// Config.Peers.
func NodePeers(n *node.Node) func() map[string]int {
	return func() map[string]int {
		out := map[string]int{}
		for _, p := range n.Peers() {
			out[p.Connection()]++
		}
		return out
	}
}

// FileSize reads the size of the file at path, for Config.VaultBytes; 0
// when it cannot be read.
func FileSize(path string) func() int64 {
	return func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			return 0
		}
		return fi.Size()
	}
}
