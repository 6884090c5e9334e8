package main

import (
	"net"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

func TestDaemonRefuses(t *testing.T) {
	dir := newHome(t)
	lock, err := home.Acquire(filepath.Join(dir, "lock"))
	if err != nil {
		t.Fatal(err)
	}
	fails(t, 1, "already running", "--home", dir, "daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "127.0.0.1:0")
	lock.Release()

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	fails(t, 1, "address already in use", "--home", dir, "daemon",
		"--listen", "/ip4/127.0.0.1/tcp/"+itoa(port), "--api", "127.0.0.1:0")
	fails(t, 1, "API address", "--home", dir, "daemon",
		"--listen", "/ip4/127.0.0.1/tcp/0", "--api", busy.Addr().String())
	fails(t, 2, "not loopback", "--home", dir, "daemon", "--api", "0.0.0.0:5811")
	fails(t, 2, "--listen", "--home", dir, "daemon", "--listen", "tcp:4811")
	fails(t, 2, "--bootstrap", "--home", dir, "daemon", "--bootstrap", "/ip4/127.0.0.1/tcp/1")
	fails(t, 1, "no mycel home", "--home", filepath.Join(t.TempDir(), "none"), "daemon")
}

func itoa(n int) string { return strconv.Itoa(n) }
