package home

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrLocked is returned by Acquire when another process holds the lock.
var ErrLocked = errors.New("another mycel daemon is running on this home")

// Lock is an exclusive advisory lock on a file, held until Release or the
// process ends (the kernel drops flock locks of dead processes).
type Lock struct{ f *os.File }

// Acquire takes the lock at path without waiting.
func Acquire(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f.Truncate(0)
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return &Lock{f: f}, nil
}

// Release drops the lock. It is safe to call twice.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	err := l.f.Close()
	l.f = nil
	return err
}

// LockPID returns the process ID the daemon holding the lock at path
// wrote into it; false when the file holds none.
func LockPID(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 32 {
		return 0, false
	}
	var pid int
	if _, err := fmt.Sscanf(string(b), "%d", &pid); err != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}
