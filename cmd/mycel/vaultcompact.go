package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/vault"
)

// VaultCompact is the --json answer of `mycel vault compact`.
type VaultCompact struct {
	BytesBefore int64 `json:"bytes_before"`
	BytesAfter  int64 `json:"bytes_after"`
	// FreeBefore: bytes of the free pages the old file held.
	FreeBefore int64   `json:"free_before"`
	Seconds    float64 `json:"seconds"`
}

// compactNotice is the file size from which `vault compact` first says
// what it does: about a second of work and more.
const compactNotice = 64 << 20

// vaultCompact rewrites the vault without its free pages. It holds the
// home's daemon lock meanwhile, so that no daemon starts on the vault.
func (a *app) vaultCompact(ctx context.Context) error {
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return err
	}
	if _, ok := a.running(ctx, h); ok {
		return daemonHolds(h)
	}
	lock, err := home.Acquire(h.Lock())
	if errors.Is(err, home.ErrLocked) {
		return daemonHolds(h)
	}
	if err != nil {
		return err
	}
	defer lock.Release()
	if fi, err := os.Stat(h.Vault()); err == nil && fi.Size() >= compactNotice {
		fmt.Fprintf(a.stderr, "compacting %s (%s): a compacted copy is written beside it, then takes its place; it needs up to as much free space\n", h.Vault(), byteSize(fi.Size()))
	}
	start := time.Now()
	c, err := vault.Compact(h.Vault(), vault.Options{Timeout: 500 * time.Millisecond})
	switch {
	case errors.Is(err, vault.ErrInUse):
		return withRemedy(errors.New("the vault is in use by another mycel process"), "let it finish (or stop it), then run mycel vault compact again")
	case errors.Is(err, vault.ErrNoSpace):
		return withRemedy(err, "free disk space next to the home, then run mycel vault compact again")
	case err != nil:
		return vaultErr(err)
	}
	out := VaultCompact{BytesBefore: c.Before, BytesAfter: c.After, FreeBefore: c.Free, Seconds: time.Since(start).Seconds()}
	if a.json {
		return printJSON(a.stdout, out)
	}
	fmt.Fprintf(a.stdout, "vault.db  %s -> %s (%s of free pages given back)\n", byteSize(out.BytesBefore), byteSize(out.BytesAfter), byteSize(out.FreeBefore))
	fmt.Fprintf(a.stdout, "took      %.3fs\n", out.Seconds)
	return nil
}

// daemonHolds is the error of a vault command that needs the vault to
// itself while a daemon runs on the home.
func daemonHolds(h home.Home) error {
	return withRemedy(fmt.Errorf("a mycel daemon is running on %s and holds its vault", h.Dir),
		"stop the daemon first ("+stopHint(h)+" or mycel shutdown), then run mycel vault compact again")
}

// byteSize is n bytes in KB, MB or GB (powers of 1000), one decimal.
func byteSize(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
