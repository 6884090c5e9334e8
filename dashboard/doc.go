// Package dashboard is the daemon's local web dashboard: overview, a live
// district feed (server-sent events), proofs, ledger, mesh and the
// actions a user does often (publish a proof from a form built from its
// MIP's schema, attest, pay, pledge).
//
// It reads and writes through a Source, which *api.Client satisfies: the
// daemon hands it a client of its own API, so every form posts to the
// same routes as the CLI. Pages are html/template files and a little
// plain JavaScript embedded in the binary; nothing comes from the
// internet.
//
// A browser is admitted by a session cookie (HttpOnly, SameSite=Strict)
// that a one-time login URL sets; every form carries the session's CSRF
// token. The API server's Host and Origin checks stand in front:
//
//	d := dashboard.New(client, dashboard.Options{})
//	srv.MountPages(dashboard.Prefix, d.Pages())
//	srv.Mount("POST "+dashboard.LoginRoute, d.Login())
//	defer d.Close()
package dashboard
