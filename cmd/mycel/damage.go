package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/vault"
)

// restoreRemedy is what a damaged vault asks of the user.
const restoreRemedy = "restore a backup: mycel restore FILE"

// notVaultRemedy is what a vault.db that is not a bbolt file at all asks:
// an empty file, a foreign one, or one whose meta pages are both wiped.
const notVaultRemedy = "if this home's vault.db was lost or overwritten, " + restoreRemedy + " --home NEWDIR"

// corruptRemedy is what a vault whose pages are whole but whose records
// disagree (a block that does not decode, an index that misses) asks.
const corruptRemedy = "mycel vault check lists what is damaged; " + restoreRemedy + " --home NEWDIR"

// damageLine is the one line printed for an error that says the vault
// file is damaged, wherever it surfaced: on open, in the middle of a
// read, or from the daemon. Nothing else of the error is printed, so no
// data read from the damaged file reaches the user.
func damageLine(err error) (string, bool) {
	d, ok := damageText(err)
	if !ok {
		return "", false
	}
	return d + "; " + restoreRemedy, true
}

// damageText is damageLine without the remedy: what is damaged and where.
func damageText(err error) (string, bool) {
	var d *vault.DamagedError
	if errors.As(err, &d) {
		return d.Error(), true
	}
	if !errors.Is(err, vault.ErrDamaged) { // from the daemon, as a wire error
		return "", false
	}
	msg := err.Error()
	if i := strings.Index(msg, vault.ErrDamaged.Error()); i >= 0 {
		msg = msg[i:]
	}
	return oneLine(msg), true
}

// noHomeErr words a home without config.toml: a new home when it holds
// no vault either, a repair when the vault (and so the identity) is there.
func noHomeErr(h home.Home) error {
	if _, err := os.Stat(h.Vault()); err == nil {
		return withRemedy(fmt.Errorf("%s has a vault but no config.toml", h.Dir), "write one, keeping the identity: mycel init --repair")
	}
	return withRemedy(fmt.Errorf("no mycel home at %s", h.Dir), "create one: mycel init (or pick another with --home)")
}
