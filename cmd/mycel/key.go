package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/vault"
)

// keyMagic starts the plain content of a key export: the libp2p-marshalled
// Ed25519 private key follows.
const keyMagic = "mycel identity key v1\n"

// keyExportMax bounds what key import reads: a key export is a few
// hundred bytes.
const keyExportMax = 64 << 10

// KeyExported is the --json answer of `mycel key export`.
type KeyExported struct {
	File   string `json:"file"`
	PeerID string `json:"peer_id"`
}

func (a *app) keyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Export or import the identity key (age-encrypted with a passphrase)",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "export FILE",
		Short: "Write the identity key to FILE (- is stdout), age-encrypted with the passphrase",
		Args:  oneArg("FILE"),
		RunE:  func(cmd *cobra.Command, args []string) error { return a.keyExport(cmd.Context(), args[0]) },
	})
	var f restoreFlags
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Make a new home holding the identity key of a key export (- is stdin)",
		Args:  oneArg("FILE"),
		RunE:  func(cmd *cobra.Command, args []string) error { return a.keyImport(cmd.Context(), args[0], f) },
	}
	f.register(imp)
	cmd.AddCommand(imp)
	return cmd
}

var keyPassRemedy = "give one with --passphrase-file FILE or MYCEL_PASSPHRASE (the same as the vault's, when its key is encrypted)"

func (a *app) keyExport(ctx context.Context, dst string) error {
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return err
	}
	pass, err := a.passphrase()
	if err != nil {
		return err
	}
	if pass == nil {
		return withRemedy(errors.New("a key export is always encrypted: no passphrase given"), keyPassRemedy)
	}
	if _, err := os.Stat(h.Vault()); err != nil {
		return withRemedy(fmt.Errorf("no vault at %s", h.Vault()), "pick the home with --home DIR")
	}
	key, mark, err := a.identityKey(ctx, h, pass)
	if err != nil {
		return err
	}
	raw, err := crypto.MarshalPrivateKey(key)
	if err != nil {
		return err
	}
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return err
	}
	o, err := a.createOutput(dst)
	if err != nil {
		return err
	}
	defer o.Abort()
	if err := sealTo(o.w, bytes.NewReader(append([]byte(keyMagic), raw...)), pass); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	if err := o.Commit(); err != nil {
		return err
	}
	if err := mark(ctx, vault.MarkKeyExport); err != nil {
		fmt.Fprintf(a.stderr, "mycel: key written, but not recorded in the vault: %v\n", oneLine(err.Error()))
	}
	if dst == "-" {
		return nil
	}
	out := KeyExported{File: dst, PeerID: id.String()}
	if a.json {
		return printJSON(a.stdout, out)
	}
	fmt.Fprintf(a.stdout, "identity key of %s written to %s, encrypted with the passphrase\n", out.PeerID, dst)
	fmt.Fprintf(a.stdout, "it holds no entries: to move a home, prefer mycel backup; import it with: mycel key import %s --home DIR\n", dst)
	return nil
}

// identityKey returns h's identity key, decrypted with pass, and how to
// record a mark: through the daemon's backup stream when one runs.
func (a *app) identityKey(ctx context.Context, h home.Home, pass []byte) (crypto.PrivKey, func(context.Context, vault.Mark) error, error) {
	path, mark := h.Vault(), markDirect(h)
	if _, ok := a.running(ctx, h); ok {
		snap, err := a.snapshot(ctx, h)
		if err != nil {
			return nil, nil, err
		}
		defer snap.remove()
		path, mark = snap.path, snap.mark
	}
	v, err := vault.Open(path, vault.Options{ReadOnly: true, Passphrase: pass, Timeout: 500 * time.Millisecond})
	if err != nil {
		return nil, nil, vaultErr(err)
	}
	defer v.Close()
	if v.Key() == nil {
		return nil, nil, withRemedy(errors.New("the identity key is encrypted"), keyPassRemedy)
	}
	return v.Key(), mark, nil
}

func (a *app) keyImport(ctx context.Context, src string, f restoreFlags) error {
	cfg, h, err := a.newHomeConfig(f)
	if err != nil {
		return err
	}
	pass, err := a.passphrase()
	if err != nil {
		return err
	}
	if pass == nil {
		return withRemedy(errors.New("a key export is encrypted: no passphrase given"), "give it with --passphrase-file FILE or MYCEL_PASSPHRASE")
	}
	in, err := a.openInput(ctx, src)
	if err != nil {
		return err
	}
	defer in.close()
	plain, sealed, err := openSealed(io.LimitReader(in, keyExportMax), pass, src)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(plain, keyExportMax))
	if err != nil || !sealed || !bytes.HasPrefix(data, []byte(keyMagic)) {
		return withRemedy(fmt.Errorf("%s is not a mycel key export", src), "give a file written by mycel key export")
	}
	key, err := crypto.UnmarshalPrivateKey(data[len(keyMagic):])
	if err != nil || key.Type() != crypto.Ed25519 {
		return withRemedy(fmt.Errorf("%s does not hold an Ed25519 identity key", src), "give a file written by mycel key export")
	}
	var out Restored
	err = home.Create(h, cfg, func(tmp home.Home) error {
		v, err := vault.CreateWithKey(tmp.Vault(), key, vault.Options{Passphrase: pass})
		if err != nil {
			return err
		}
		defer v.Close()
		out.PeerID = v.ID().String()
		return markRestored(v, f.trustHead)
	})
	if err != nil {
		return homeErr(h, err)
	}
	out.Home, out.TrustHead = h.Dir, f.trustHead
	return a.printRestored(out, "imported the identity key of "+src)
}
