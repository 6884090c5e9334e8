//go:build linux

// Command peakrss runs a command and writes the peak resident set of its
// process, in bytes, to a file:
//
//	peakrss FILE CMD [ARG...]
//
// A Go program that starts a command directly cannot read the command's
// own peak: Linux starts it on the parent's memory (vfork) and counts the
// parent's peak into the child's at exec. peakrss is that parent, and
// small: its own few MiB are the floor of what it reports. The command's
// stdin, stdout and stderr are peakrss's; peakrss exits with its code, and
// the command is killed when peakrss is.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: peakrss FILE CMD [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // killed with peakrss
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(2)
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // kB on Linux
	if werr := os.WriteFile(os.Args[1], []byte(strconv.FormatInt(peak, 10)+"\n"), 0o600); werr != nil {
		fmt.Fprintln(os.Stderr, "peakrss:", werr)
		os.Exit(2)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}
