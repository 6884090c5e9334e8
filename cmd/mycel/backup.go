package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/vault"
)

// BackupWritten is the --json answer of `mycel backup`.
type BackupWritten struct {
	File      string `json:"file"`
	Bytes     int64  `json:"bytes"` // of the vault copy, before encryption
	Encrypted bool   `json:"encrypted"`
	PeerID    string `json:"peer_id"`
	// Via is "daemon" when the running daemon made the copy, "vault" when
	// the vault was read directly.
	Via string `json:"via"`
}

func (a *app) backupCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the vault, identity key included (age-encrypted with the passphrase); - is stdout",
		Args:  oneArg("FILE"),
		RunE:  func(cmd *cobra.Command, args []string) error { return a.backup(cmd.Context(), args[0]) },
	}
}

func (a *app) backup(ctx context.Context, dst string) error {
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return err
	}
	if _, err := os.Stat(h.Vault()); err != nil {
		return withRemedy(fmt.Errorf("no vault at %s", h.Vault()), "pick the home with --home DIR")
	}
	pass, err := a.passphrase()
	if err != nil {
		return err
	}
	snap, err := a.snapshot(ctx, h)
	if err != nil {
		return err
	}
	defer snap.remove()
	out := BackupWritten{File: dst, Bytes: snap.size, Via: snap.via}
	// The copy is opened as a restore would open it: every page checked,
	// the key decrypted with the passphrase given.
	v, err := vault.Open(snap.path, vault.Options{ReadOnly: true, Passphrase: pass, FullCheckMax: 1 << 62})
	if err != nil {
		return vaultErr(err)
	}
	out.PeerID = v.ID().String()
	enc, err := v.KeyEncrypted()
	v.Close()
	if err != nil {
		return err
	}
	if enc && pass == nil {
		return withRemedy(errors.New("the identity key is encrypted, so the backup must be too"), "give the passphrase with --passphrase-file FILE or MYCEL_PASSPHRASE")
	}
	out.Encrypted = pass != nil
	if err := a.writeSealed(dst, snap.path, pass); err != nil {
		return err
	}
	if err := snap.mark(ctx, vault.MarkBackup); err != nil {
		fmt.Fprintf(a.stderr, "mycel: backup written, but not recorded in the vault: %v\n", oneLine(err.Error()))
	}
	if !out.Encrypted {
		fmt.Fprintln(a.stderr, "mycel: the backup is not encrypted: whoever reads it holds this identity (add a passphrase: mycel passphrase set)")
	}
	if dst == "-" {
		return nil
	}
	if a.json {
		return printJSON(a.stdout, out)
	}
	how := "encrypted with the passphrase"
	if !out.Encrypted {
		how = "NOT encrypted"
	}
	fmt.Fprintf(a.stdout, "backup of %s written to %s (%d bytes, %s)\n", out.PeerID, dst, out.Bytes, how)
	fmt.Fprintf(a.stdout, "restore it into a new home: mycel restore %s --home DIR\n", dst)
	return nil
}

// writeSealed writes the file at src to dst, age-encrypted to pass when
// pass is set.
func (a *app) writeSealed(dst, src string, pass []byte) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	o, err := a.createOutput(dst)
	if err != nil {
		return err
	}
	defer o.Abort()
	if err := sealTo(o.w, in, pass); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return o.Commit()
}

// snapshot is a consistent copy of a home's vault in a temporary file.
type snapshot struct {
	path string
	size int64
	via  string
	mark func(ctx context.Context, m vault.Mark) error // records a mark in the live vault
}

func (s *snapshot) remove() { os.Remove(s.path) }

// snapshot copies h's vault: through the daemon when one runs (it holds
// the file), else from the file directly.
func (a *app) snapshot(ctx context.Context, h home.Home) (*snapshot, error) {
	f, err := os.CreateTemp(os.TempDir(), "mycel-backup-*.db")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := &snapshot{path: f.Name()}
	fail := func(err error) (*snapshot, error) { f.Close(); s.remove(); return nil, err }
	if c, ok := a.running(ctx, h); ok {
		s.via = "daemon"
		if s.size, err = c.Backup(ctx, f); err != nil {
			return fail(err)
		}
		s.mark = func(ctx context.Context, m vault.Mark) error { return c.BackupDone(ctx, m) }
	} else {
		s.via = "vault"
		v, err := vault.Open(h.Vault(), vault.Options{KeyOptional: true, Timeout: 500 * time.Millisecond})
		if err != nil {
			return fail(vaultErr(err))
		}
		defer v.Close()
		if s.size, err = v.Backup(f); err != nil {
			return fail(err)
		}
		s.mark = markDirect(h)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	return s, nil
}

// markDirect records a mark in h's vault, opened for it alone.
func markDirect(h home.Home) func(context.Context, vault.Mark) error {
	return func(_ context.Context, m vault.Mark) error {
		v, err := vault.Open(h.Vault(), vault.Options{KeyOptional: true, Timeout: 500 * time.Millisecond})
		if err != nil {
			return err
		}
		defer v.Close()
		return v.SetMark(m, time.Now())
	}
}

// Restored is the --json answer of `mycel restore` and `mycel key import`.
type Restored struct {
	Home   string `json:"home"`
	PeerID string `json:"peer_id"`
	// TrustHead: the home writes at once; otherwise its first write waits
	// until a peer that holds this identity's entries confirms the head.
	TrustHead bool `json:"trust_head"`
}

func (a *app) restoreCmd() *cobra.Command {
	var f restoreFlags
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Make a new home from a backup (- is stdin); it writes only once a peer confirmed its head",
		Args:  oneArg("FILE"),
		RunE:  func(cmd *cobra.Command, args []string) error { return a.restore(cmd.Context(), args[0], f) },
	}
	f.register(cmd)
	return cmd
}

// restoreFlags are shared by restore and key import.
type restoreFlags struct {
	district, profile string
	trustHead         bool
}

func (f *restoreFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.district, "district", "", `default district of the new home's config.toml (the backup holds no config)`)
	cmd.Flags().StringVar(&f.profile, "profile", home.Laptop, "laptop, server or offline")
	cmd.Flags().BoolVar(&f.trustHead, "trust-head", false, "no other copy of this identity ever wrote: write at once, without a peer confirming the head")
}

func (a *app) restore(ctx context.Context, src string, f restoreFlags) error {
	cfg, h, err := a.newHomeConfig(f)
	if err != nil {
		return err
	}
	pass, err := a.passphrase()
	if err != nil {
		return err
	}
	in, err := a.openInput(ctx, src)
	if err != nil {
		return err
	}
	defer in.close()
	plain, _, err := openSealed(in, pass, src)
	if err != nil {
		return err
	}
	var out Restored
	err = home.Create(h, cfg, func(tmp home.Home) error {
		dst, err := os.OpenFile(tmp.Vault(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(dst, plain); err != nil {
			dst.Close()
			return fmt.Errorf("read %s: %w", src, err)
		}
		if err := dst.Sync(); err != nil {
			dst.Close()
			return err
		}
		if err := dst.Close(); err != nil {
			return err
		}
		v, err := vault.Open(tmp.Vault(), vault.Options{KeyOptional: true, Passphrase: pass, FullCheckMax: 1 << 62})
		if err != nil {
			return restoreErr(src, err)
		}
		defer v.Close()
		out.PeerID = v.ID().String()
		return markRestored(v, f.trustHead)
	})
	if err != nil {
		return homeErr(h, err)
	}
	out.Home, out.TrustHead = h.Dir, f.trustHead
	return a.printRestored(out, "restored "+src)
}

// restoreErr words a backup that does not open as a vault.
func restoreErr(src string, err error) error {
	var d *vault.DamagedError
	if errors.As(err, &d) || errors.Is(err, vault.ErrNotVault) {
		return withRemedy(fmt.Errorf("%s is not a whole mycel backup: %v", src, oneLine(err.Error())), "restore another backup")
	}
	return vaultErr(err)
}

// markRestored marks a new home's vault restored, unless trusted.
func markRestored(v *vault.Bolt, trust bool) error {
	if trust {
		return v.ConfirmHead()
	}
	return v.SetMark(vault.MarkRestored, time.Now())
}

// newHomeConfig resolves the home a restore or import creates and its
// config from the flags.
func (a *app) newHomeConfig(f restoreFlags) (home.Config, home.Home, error) {
	if err := checkInitFlags(f.district, f.profile); err != nil {
		return home.Config{}, home.Home{}, err
	}
	h, err := home.Resolve(a.homeFlag)
	return home.DefaultConfig(f.district, f.profile), h, err
}

// homeErr words a failed home.Create.
func homeErr(h home.Home, err error) error {
	if errors.Is(err, home.ErrExists) {
		return withRemedy(fmt.Errorf("a home already exists at %s; restoring over it could lose what it wrote since the backup was made", h.Dir), "restore into a new home: --home DIR")
	}
	var f *failure
	if errors.As(err, &f) {
		return err
	}
	if _, ok := damageLine(err); ok {
		return err
	}
	return fmt.Errorf("create %s: %w", h.Dir, err)
}

func (a *app) printRestored(out Restored, what string) error {
	if a.json {
		return printJSON(a.stdout, out)
	}
	fmt.Fprintf(a.stdout, "%s into %s\npeer id: %s\n", what, out.Home, out.PeerID)
	if out.TrustHead {
		fmt.Fprintln(a.stdout, "its first write continues the log as held here (--trust-head)")
	} else {
		fmt.Fprintln(a.stdout, "its first write waits until a peer that holds this identity's entries confirms the head;")
		fmt.Fprintln(a.stdout, "if no other copy of this identity ever wrote: mycel daemon --trust-head")
	}
	fmt.Fprintf(a.stdout, "next, run: %s\n", daemonHint(a.homeFlag))
	return nil
}
