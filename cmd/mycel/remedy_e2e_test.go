package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// TestForeignListenAddress: a listen address that is not on this machine
// stops the daemon with one line of cause and one of remedy, and nothing
// else on stderr (no library log lines), whatever its port.
func TestForeignListenAddress(t *testing.T) {
	e := newE2E(t)
	h := e.home("h")
	e.mycel("", "init", "--home", h)
	for _, addr := range []string{"/ip4/192.0.2.7/tcp/4001", "/ip4/192.0.2.7/tcp/0", "/ip4/192.0.2.7/udp/0/quic-v1"} {
		cmd := exec.Command(e.bin, "--home", h, "daemon", "--listen", addr, "--api", "127.0.0.1:0", "--no-mdns", "--no-port-map")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		cmd.Run()
		want := "mycel: cannot listen on " + addr + ": that address is not on this machine\nmycel: use one of its addresses"
		if code := cmd.ProcessState.ExitCode(); code != exitError || !strings.HasPrefix(errb.String(), want) || strings.Count(errb.String(), "\n") != 2 {
			t.Errorf("--listen %s: exit %d, stderr %q; want exit 1 and %q", addr, code, errb.String(), want)
		}
	}
	// An address libp2p itself refuses (no websocket transport): its fx
	// container must not log the error three more times.
	cmd := exec.Command(e.bin, "--home", h, "daemon", "--listen", "/ip4/127.0.0.1/tcp/0/ws", "--api", "127.0.0.1:0", "--no-mdns", "--no-port-map")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Run()
	if got := errb.String(); cmd.ProcessState.ExitCode() != exitError || strings.Count(got, "\n") != 2 || strings.Contains(got, "fx") {
		t.Errorf("--listen .../ws: exit %d, stderr %q; want one line of cause and one of remedy", cmd.ProcessState.ExitCode(), got)
	}
}
