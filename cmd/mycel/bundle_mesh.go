package main

import (
	"io"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/bundle"
)

var _ api.Importer = (*mesh)(nil)

// Import reads a bundle through the node: its check, its Stored and
// Rejected events, no gossip.
func (m *mesh) Import(r io.Reader, progress func(int)) (bundle.Report, error) {
	return m.n.Import(r, progress)
}
