package main

import (
	"errors"
	"strings"

	"github.com/mesocosm/mycel/vault"
)

// restoreRemedy is what a damaged vault asks of the user.
const restoreRemedy = "restore a backup: mycel restore FILE"

// damageLine is the one line printed for an error that says the vault
// file is damaged, wherever it surfaced: on open, in the middle of a
// read, or from the daemon. Nothing else of the error is printed, so no
// data read from the damaged file reaches the user.
func damageLine(err error) (string, bool) {
	var d *vault.DamagedError
	if errors.As(err, &d) {
		return d.Error() + "; " + restoreRemedy, true
	}
	if !errors.Is(err, vault.ErrDamaged) { // from the daemon, as a wire error
		return "", false
	}
	msg := err.Error()
	if i := strings.Index(msg, vault.ErrDamaged.Error()); i >= 0 {
		msg = msg[i:]
	}
	return oneLine(msg) + "; " + restoreRemedy, true
}
