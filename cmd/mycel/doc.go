// Command mycel runs a Mycel peer and steers it: init makes a home,
// daemon serves the mesh and a local API on loopback, and every other
// command talks to that API, or opens the vault directly when no daemon
// runs and the command needs only the vault. docs/CLI.md documents every
// command, flag, JSON field and exit code.
package main
