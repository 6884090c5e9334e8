package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/vault"
)

// Exit codes.
const (
	exitOK       = 0
	exitError    = 1
	exitUsage    = 2
	exitNoDaemon = 3
	exitDamaged  = 4 // vault.db is damaged; see damage.go
	// exitInterrupted: the first Ctrl-C or SIGTERM stopped the command
	// (128 + SIGINT, as shells report it).
	exitInterrupted = 130
)

// failure is an error with an exit code and an optional remedy line.
type failure struct {
	code   int
	err    error
	remedy string
}

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func usageErr(format string, args ...any) error {
	return &failure{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// interruptedErr is the failure of a command stopped by Ctrl-C or
// SIGTERM; the message says what was done.
func interruptedErr(format string, args ...any) error {
	return &failure{code: exitInterrupted, err: fmt.Errorf("interrupted: "+format, args...)}
}

func withRemedy(err error, remedy string) error {
	return &failure{code: exitError, err: err, remedy: remedy}
}

// report prints err as one line "mycel: cause" (plus "mycel: remedy" when
// there is one) and returns the exit code.
func report(w io.Writer, err error) int {
	if d, ok := damageLine(err); ok {
		fmt.Fprintln(w, "mycel: "+d)
		return exitDamaged
	}
	code, remedy := exitError, ""
	var f *failure
	if errors.As(err, &f) {
		code, remedy = f.code, f.remedy
	}
	if errors.Is(err, api.ErrOffline) && code == exitError {
		code = exitNoDaemon
	}
	if errors.Is(err, vault.ErrCorrupt) && remedy == "" {
		remedy = corruptRemedy
	}
	if errors.Is(err, vault.ErrNotVault) && remedy == "" {
		remedy = notVaultRemedy
	}
	if isCobraUsage(err) {
		code = exitUsage
	}
	fmt.Fprintln(w, "mycel: "+oneLine(err.Error()))
	if remedy != "" {
		fmt.Fprintln(w, "mycel: "+remedy)
	}
	return code
}

func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "required flag", "accepts ", "requires at least"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
