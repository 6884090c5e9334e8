package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/vault"
)

// NewPassphraseEnv names the new passphrase of `mycel passphrase set`
// when --new-passphrase-file is not given.
const NewPassphraseEnv = "MYCEL_NEW_PASSPHRASE"

func (a *app) passphraseCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "passphrase",
		Short: "Add or change the passphrase that encrypts the identity key",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	var newFile string
	set := &cobra.Command{
		Use:   "set --new-passphrase-file FILE",
		Short: "Encrypt the identity key with a new passphrase (the daemon must be stopped); the current one, if any, as usual",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.passphraseSet(newFile) },
	}
	set.Flags().StringVar(&newFile, "new-passphrase-file", "", "file holding the new passphrase (default $"+NewPassphraseEnv+")")
	cmd.AddCommand(set)
	return cmd
}

func (a *app) passphraseSet(newFile string) error {
	next, err := readNewPassphrase(newFile)
	if err != nil {
		return err
	}
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return err
	}
	old, err := a.passphrase()
	if err != nil {
		return err
	}
	v, err := vault.Open(h.Vault(), vault.Options{Passphrase: old, Timeout: 500 * time.Millisecond})
	if errors.Is(err, vault.ErrInUse) {
		return withRemedy(errors.New("the vault is in use by the daemon"), "stop it, then run mycel passphrase set again")
	}
	if err != nil {
		return vaultErr(err)
	}
	defer v.Close()
	if err := v.SetPassphrase(next, 0); err != nil {
		return err
	}
	if a.json {
		return printJSON(a.stdout, struct {
			PeerID       string `json:"peer_id"`
			KeyEncrypted bool   `json:"key_encrypted"`
		}{v.ID().String(), true})
	}
	fmt.Fprintf(a.stdout, "the identity key of %s is now encrypted with the new passphrase\n", v.ID())
	fmt.Fprintln(a.stdout, "give it from now on with --passphrase-file FILE or MYCEL_PASSPHRASE; backups made before keep the passphrase they were made with")
	return nil
}

func readNewPassphrase(file string) ([]byte, error) {
	var p string
	switch {
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("new passphrase file: %w", unwrapPathErr(err))
		}
		p = strings.TrimRight(string(data), "\r\n")
		if p == "" {
			return nil, fmt.Errorf("new passphrase file %s is empty", file)
		}
	default:
		p = os.Getenv(NewPassphraseEnv)
		if p == "" {
			return nil, usageErr("no new passphrase: give --new-passphrase-file FILE or set %s", NewPassphraseEnv)
		}
	}
	return []byte(p), nil
}
