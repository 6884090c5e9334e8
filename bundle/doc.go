// Package bundle moves entries between peers that never meet online: a
// bundle is a plain CARv1 file whose blocks are entries in log order and
// whose roots are the author heads it contains, so go-car and
// `ipfs dag import` read it too.
//
// On the side that receives, a want file (the receiver's version vector)
// tells the exporter what is missing:
//
//	want, _ := bundle.WantOf(store)           // receiver
//	stats, _ := bundle.Export(f, store, bundle.Filter{Since: want}, nil)
//	rep, _ := bundle.Import(f, check, put)    // receiver again
package bundle
