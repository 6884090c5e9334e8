package main

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// checkPorts binds each fixed listen port for a moment and lets it go.
// libp2p binds with SO_REUSEPORT, so two daemons could otherwise share a
// port silently; a plain bind fails when any process holds it.
func checkPorts(addrs []ma.Multiaddr) error {
	for _, a := range addrs {
		network, hostport, err := manet.DialArgs(a)
		if err != nil {
			continue // not an IP address libp2p can bind here; it reports itself
		}
		// Port 0 cannot be taken, but its address can be foreign.
		err = tryBind(network, hostport)
		switch {
		case err == nil:
		case errors.Is(err, syscall.EADDRNOTAVAIL):
			return withRemedy(fmt.Errorf("cannot listen on %s: that address is not on this machine", a),
				"use one of its addresses, or all of them with --listen /ip4/0.0.0.0/tcp/PORT")
		default:
			if _, port, _ := net.SplitHostPort(hostport); port == "0" {
				continue
			}
			return withRemedy(fmt.Errorf("cannot listen on %s: %v", a, unwrapOp(err)),
				"stop the program using the port, or pick another with --listen (e.g. /ip4/0.0.0.0/tcp/0)")
		}
	}
	return nil
}

func tryBind(network, hostport string) error {
	switch network {
	case "tcp", "tcp4", "tcp6":
		ln, err := net.Listen(network, hostport)
		if err == nil {
			ln.Close()
		}
		return err
	case "udp", "udp4", "udp6":
		pc, err := net.ListenPacket(network, hostport)
		if err == nil {
			pc.Close()
		}
		return err
	}
	return nil
}

func unwrapOp(err error) error {
	if op, ok := err.(*net.OpError); ok {
		return op.Err
	}
	return err
}
