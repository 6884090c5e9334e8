// Package api is the local control API of a Mycel peer: HTTP+JSON on
// loopback, guarded by a bearer token and Host and Origin checks.
//
// Service is the set of operations the CLI offers. Local implements it
// over a vault (and, inside the daemon, a Mesh); Client implements it over
// HTTP against a running daemon; Server exposes a Service over HTTP. The
// CLI therefore runs the same code with or without a daemon:
//
//	ln, err := api.Listen("127.0.0.1:0")
//	srv := api.NewServer(&api.Local{Vault: v, Registry: mip.Builtins()}, token, version)
//	go srv.Serve(ln)
//
//	c := api.NewClient(ln.Addr().String(), token)
//	id, err := c.Identity(ctx)
//
// (Example shows it whole.) Service is split by concern (PeerService,
// ProofService, SettleService, ...) so that a caller asks for the part it
// uses; package embed runs Local over a live node.
//
// Wire field names are snake_case and stable; docs/CLI.md lists them.
package api
