// Package doccheck holds no code: its tests hold the module's package docs
// to what runs. Every library package has a runnable Example (one with an
// "// Output:" comment, so that go test runs it), and every function or
// method a package doc's Go snippet calls is called, with as many
// arguments, in that package's example_test.go, and every other name it
// selects (a field, a method value, a qualified type) is selected there:
// a snippet that names something that does not exist, or calls a
// function with the wrong arity, fails. Blocks that do not parse as Go
// (a shell session, a formula) are not read.
package doccheck
