// Package bundle moves entries between peers that never meet online: a
// bundle is a plain CARv1 file whose blocks are entries in log order and
// whose roots are the author heads it contains, so go-car and
// `ipfs dag import` read it too (docs/PROTOCOL.md, "Bundles").
//
// The receiver writes its version vector as a want file; the exporter
// writes only what the receiver lacks; the receiver imports, checking
// every block as gossip does:
//
//	want, _ := bundle.WantOf(dst)                             // receiver
//	st, err := bundle.Export(f, src, bundle.Filter{Since: &want}, nil)
//	rep, err := bundle.Import(f, check, dst.Put, nil)         // receiver
//	fmt.Printf("exported %d; %d new, %d known, %d rejected\n", st.Entries, rep.New, rep.Known, rep.Rejected)
package bundle
