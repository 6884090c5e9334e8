package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/vault"
)

// VaultCheck is the --json answer of `mycel vault check`.
type VaultCheck struct {
	OK bool `json:"ok"`
	// Pages below the high-water mark and their size; zero when the file
	// could not be read that far.
	Pages    uint64 `json:"pages"`
	PageSize int    `json:"page_size"`
	// PagesOK: the page check (every page read, bbolt's Tx.Check) passed.
	PagesOK bool `json:"pages_ok"`
	// DamagedPage is the page found broken; present when PagesOK is false
	// and the page is known.
	DamagedPage *uint64 `json:"damaged_page,omitempty"`
	// RecordsOK: mycel's own records agree (logs chain, heads, indexes,
	// blocks, pending counts); false when not run because pages failed.
	RecordsOK bool `json:"records_ok"`
	// Via is "daemon" when the running daemon ran the page check (the
	// record check then does not run), "vault" when the file was read.
	Via     string  `json:"via"`
	Error   string  `json:"error,omitempty"`
	Seconds float64 `json:"seconds"`
}

func (a *app) vaultCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vault",
		Short: "Check or compact the vault file",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Read every page of vault.db and check mycel's records (with a daemon running: its page check only)",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.vaultCheck(cmd.Context()) },
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "compact",
		Short: "Rewrite vault.db without the free pages bbolt keeps (stop the daemon first)",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.vaultCompact(cmd.Context()) },
	})
	return cmd
}

func (a *app) vaultCheck(ctx context.Context) error {
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return err
	}
	if c, ok := a.running(ctx, h); ok {
		return a.vaultCheckDaemon(ctx, c)
	}
	out, err := checkVault(h)
	if errors.Is(err, vault.ErrInUse) {
		return withRemedy(errors.New("the vault is in use by the daemon"), "stop it (Ctrl-C or SIGTERM), then run mycel vault check again")
	}
	if err != nil && !errors.Is(err, vault.ErrCorrupt) {
		return vaultErr(err)
	}
	if a.json {
		if err := printJSON(a.stdout, out); err != nil {
			return err
		}
	} else {
		printVaultCheck(a, out)
	}
	if err != nil {
		return &failure{code: exitDamaged, err: err, remedy: restoreRemedy}
	}
	return nil
}

// vaultCheckDaemon has the running daemon run the page check; the record
// check needs the vault to itself.
func (a *app) vaultCheckDaemon(ctx context.Context, c *api.Client) error {
	start := time.Now()
	df, err := c.Doctor(ctx)
	if err != nil {
		return err
	}
	out := VaultCheck{Via: "daemon", PagesOK: df.Vault.PageError == "", Error: df.Vault.PageError}
	out.OK, out.Seconds = out.PagesOK, time.Since(start).Seconds()
	if a.json {
		if err := printJSON(a.stdout, out); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(a.stdout, "pages    %s (checked by the running daemon)\n", map[bool]string{true: "ok", false: "FAIL"}[out.PagesOK])
		fmt.Fprintln(a.stdout, "records  not run: the daemon holds the vault (stop it for the record check)")
		fmt.Fprintf(a.stdout, "took     %.3fs\n", out.Seconds)
	}
	if !out.PagesOK {
		return &failure{code: exitDamaged, err: errors.New(out.Error)}
	}
	return nil
}

// checkVault runs the page check and then mycel's record check on h's
// vault, opened read-only without the open-time check.
func checkVault(h home.Home) (VaultCheck, error) {
	start := time.Now()
	out := VaultCheck{Via: "vault"}
	defer func() { out.Seconds = time.Since(start).Seconds() }()
	v, err := vault.Open(h.Vault(), vault.Options{ReadOnly: true, FullCheckMax: -1, Timeout: 500 * time.Millisecond})
	if err != nil {
		fail(&out, err)
		out.Seconds = time.Since(start).Seconds()
		return out, err
	}
	defer v.Close()
	rep, err := v.CheckPages()
	out.Pages, out.PageSize = rep.Pages, rep.PageSize
	if err != nil {
		fail(&out, err)
		out.Seconds = time.Since(start).Seconds()
		return out, err
	}
	out.PagesOK = true
	if err := v.Check(); err != nil {
		fail(&out, err)
		out.Seconds = time.Since(start).Seconds()
		return out, err
	}
	out.RecordsOK, out.OK = true, true
	out.Seconds = time.Since(start).Seconds()
	return out, nil
}

func fail(out *VaultCheck, err error) {
	out.Error = oneLine(err.Error())
	var d *vault.DamagedError
	if errors.As(err, &d) && d.Known {
		p := d.Page
		out.DamagedPage = &p
	}
}

func printVaultCheck(a *app, out VaultCheck) {
	state := func(ok bool, ran bool) string {
		switch {
		case ok:
			return "ok"
		case ran:
			return "FAIL"
		}
		return "not run"
	}
	pagesRan := out.Error != "" || out.PagesOK
	if out.Pages > 0 {
		fmt.Fprintf(a.stdout, "pages    %s (%d pages of %d bytes)\n", state(out.PagesOK, pagesRan), out.Pages, out.PageSize)
	} else {
		fmt.Fprintf(a.stdout, "pages    %s\n", state(out.PagesOK, pagesRan))
	}
	fmt.Fprintf(a.stdout, "records  %s\n", state(out.RecordsOK, out.PagesOK))
	fmt.Fprintf(a.stdout, "took     %.3fs\n", out.Seconds)
}
