package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/mesocosm/mycel/vault"
)

// Backup routes (docs/CLI.md, "mycel backup"): GET /v1/backup streams a
// consistent copy of the vault file; POST /v1/backup/done records that the
// client wrote it whole (or exported the key), for `mycel doctor`.
const (
	// BackupType is the media type of a backup stream: a bbolt file.
	BackupType = "application/vnd.mycel.vault"
	// BackupSizeTrailer carries the bytes sent once the whole copy is
	// sent; a response without it was cut short.
	BackupSizeTrailer = "Mycel-Backup-Size"
)

// Backuper is what a vault offers for backups (vault.Bolt).
type Backuper interface {
	Backup(w io.Writer) (int64, error)
	SetMark(m vault.Mark, t time.Time) error
}

// BackupDone is the body of POST /v1/backup/done.
type BackupDone struct {
	// Mark is "backup" or "key_export".
	Mark string `json:"mark"`
}

func (s *Server) backuper() (Backuper, error) {
	if l, ok := s.raw.(*Local); ok {
		if b, ok := l.Vault.(Backuper); ok {
			return b, nil
		}
	}
	return nil, badInput("this daemon's vault cannot be backed up")
}

// backup streams the vault file. A failure after the first byte aborts
// the connection, so the client never takes a cut copy for a whole one.
func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	b, err := s.backuper()
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Trailer", BackupSizeTrailer)
	lw := &lazyWriter{w: w, rc: http.NewResponseController(w), ctype: BackupType}
	n, err := b.Backup(lw)
	switch {
	case err != nil && lw.started:
		panic(http.ErrAbortHandler)
	case err != nil:
		w.Header().Del("Trailer")
		writeError(w, err)
	default:
		w.Header().Set(BackupSizeTrailer, strconv.FormatInt(n, 10))
	}
}

func (s *Server) backupDone(w http.ResponseWriter, r *http.Request) {
	var req BackupDone
	if err := readJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	m := vault.Mark(req.Mark)
	if m != vault.MarkBackup && m != vault.MarkKeyExport {
		writeError(w, badInput("mark %q, want backup or key_export", req.Mark))
		return
	}
	b, err := s.backuper()
	if err == nil {
		err = b.SetMark(m, time.Now())
	}
	reply(w, req, err)
}

// Backup copies the daemon's vault file to w and returns its size. It
// fails when the stream ends without the size trailer (w then holds a
// partial copy).
func (c *Client) Backup(ctx context.Context, w io.Writer) (int64, error) {
	resp, err := c.send(ctx, http.MethodGet, "/v1/backup", nil, "")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	size, err := strconv.ParseInt(resp.Trailer.Get(BackupSizeTrailer), 10, 64)
	if err != nil || size != n {
		return n, errors.New("backup: the daemon's stream ended early")
	}
	return n, nil
}

// BackupDone tells the daemon that a backup or key export was written.
func (c *Client) BackupDone(ctx context.Context, m vault.Mark) error {
	body, err := json.Marshal(BackupDone{Mark: string(m)})
	if err != nil {
		return err
	}
	var out BackupDone
	return c.do(ctx, http.MethodPost, "/v1/backup/done", bytes.NewReader(body), "application/json", &out)
}
