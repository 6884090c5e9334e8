package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
)

// Files that hold a home's secrets (backups, key exports) are age files
// encrypted to a scrypt passphrase when one is given. They are written
// aside and renamed into place, so a FILE is whole or untouched; "-" is
// stdout.

// ageHeader starts every age file.
const ageHeader = "age-encryption.org/"

// errNoPassphrase: a secret file was asked for without a passphrase.
var errNoPassphrase = errors.New("no passphrase given")

// output is a file being written: Commit puts it in place.
type output struct {
	w    io.Writer
	f    *os.File // nil for stdout
	path string
}

// createOutput starts writing path ("-": stdout), 0600.
func (a *app) createOutput(path string) (*output, error) {
	if path == "-" {
		return &output{w: a.stdout}, nil
	}
	if err := a.checkOutput(path); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, unwrapPathErr(err))
	}
	return &output{w: f, f: f, path: path}, nil
}

// Commit syncs the file and renames it into place.
func (o *output) Commit() error {
	if o.f == nil {
		return nil
	}
	if err := o.f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	if err := o.f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	if err := os.Rename(o.f.Name(), o.path); err != nil {
		return fmt.Errorf("write %s: %w", o.path, unwrapPathErr(err))
	}
	o.f = nil
	return nil
}

// Abort drops a file not committed; safe after Commit.
func (o *output) Abort() {
	if o.f != nil {
		o.f.Close()
		os.Remove(o.f.Name())
	}
}

// sealTo copies src into w, age-encrypted to pass, or as it is when pass
// is nil.
func sealTo(w io.Writer, src io.Reader, pass []byte) error {
	if pass == nil {
		_, err := io.Copy(w, src)
		return err
	}
	r, err := age.NewScryptRecipient(string(pass))
	if err != nil {
		return err
	}
	aw, err := age.Encrypt(w, r)
	if err != nil {
		return err
	}
	if _, err := io.Copy(aw, src); err != nil {
		return err
	}
	return aw.Close()
}

// openSealed returns the plain content of r: decrypted with pass when r is
// an age file, as it is otherwise; sealed says which.
func openSealed(r io.Reader, pass []byte, what string) (plain io.Reader, sealed bool, err error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(len(ageHeader))
	if !bytes.Equal(head, []byte(ageHeader)) {
		return br, false, nil
	}
	if pass == nil {
		return nil, true, withRemedy(fmt.Errorf("%s is encrypted", what), "give its passphrase with --passphrase-file FILE or MYCEL_PASSPHRASE")
	}
	id, err := age.NewScryptIdentity(string(pass))
	if err != nil {
		return nil, true, err
	}
	id.SetMaxWorkFactor(30)
	dr, err := age.Decrypt(br, id)
	var wrong *age.NoIdentityMatchError
	if errors.As(err, &wrong) || errors.Is(err, age.ErrIncorrectIdentity) {
		return nil, true, withRemedy(fmt.Errorf("wrong passphrase for %s", what), "check --passphrase-file or MYCEL_PASSPHRASE")
	}
	if err != nil {
		return nil, true, fmt.Errorf("%s is not a whole age file: %v", what, err)
	}
	return dr, true, nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
