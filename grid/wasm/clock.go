package wasm

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// Step is how far both clocks advance at each reading. Sleeps advance them
// by the time asked for, at once.
const Step = 1000 // ns

// seedDomain separates the seeds drawn from a job identity by what they
// are for, so that the random bytes do not repeat the clock's start.
const seedDomain = "mycel/grid/wasm/1 "

// seed derives a 32-byte seed for one use from the job identity.
func seed(use string, job []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(seedDomain + use + "\x00"))
	h.Write(job)
	var s [32]byte
	h.Sum(s[:0])
	return s
}

// clock is a job's wall clock and monotonic clock. Both start at values
// derived from the job identity and share one elapsed counter that only
// the module's own readings and sleeps move, so two runs of one job read
// the same times in the same order. A module runs on one goroutine, so
// the clock needs no lock.
type clock struct {
	wallSec  int64 // wall clock start, seconds since the Unix epoch
	wallNsec int64 // and its nanoseconds
	mono     int64 // monotonic clock start, ns
	elapsed  int64 // ns since the start
}

// newClock starts a job's clocks: the wall clock somewhere between 2001
// and 2033, the monotonic clock below 2^40 ns (about 18 minutes).
func newClock(job []byte) *clock {
	s := seed("clock", job)
	return &clock{
		wallSec:  1_000_000_000 + int64(binary.LittleEndian.Uint64(s[0:])%1_000_000_000),
		wallNsec: int64(binary.LittleEndian.Uint64(s[8:]) % 1_000_000_000),
		mono:     int64(binary.LittleEndian.Uint64(s[16:]) % (1 << 40)),
	}
}

// walltime reads the wall clock, advancing both clocks by Step.
func (c *clock) walltime() (sec int64, nsec int32) {
	c.elapsed += Step
	ns := c.wallNsec + c.elapsed
	return c.wallSec + ns/1e9, int32(ns % 1e9)
}

// nanotime reads the monotonic clock, advancing both clocks by Step.
func (c *clock) nanotime() int64 {
	c.elapsed += Step
	return c.mono + c.elapsed
}

// nanosleep returns at once, with both clocks moved on by ns.
func (c *clock) nanosleep(ns int64) {
	if ns > 0 {
		c.elapsed += ns
	}
}

// randSource is the job's random bytes: ChaCha8 seeded from the job
// identity.
func randSource(job []byte) *rand.ChaCha8 {
	return rand.NewChaCha8(seed("rand", job))
}
