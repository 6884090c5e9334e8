// Package api is the local control API of a Mycel peer: HTTP+JSON on
// loopback, guarded by a bearer token and Host and Origin checks.
//
// Service is the set of operations the CLI offers. Local implements it
// over a vault (and, inside the daemon, a Mesh); Client implements it over
// HTTP against a running daemon; Server exposes a Service over HTTP. The
// CLI therefore runs the same code with or without a daemon:
//
//	ln, err := api.Listen("127.0.0.1:0")
//	srv := api.NewServer(&api.Local{Vault: v, Mesh: m, Registry: mip.Builtins()}, token)
//	go srv.Serve(ln)
//
//	c := api.NewClient(addr, token)
//	id, err := c.Identity(ctx)
//
// Wire field names are snake_case and stable; docs/CLI.md lists them.
package api
