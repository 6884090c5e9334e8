package vault

import (
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// A damaged file can make a read through bbolt's memory map fault (a page
// offset past the file is SIGBUS, a wild one SIGSEGV) or trip one of
// bbolt's assertions. Every transaction runs under guard: the goroutine
// turns faults into panics (debug.SetPanicOnFault), and the panic becomes
// a *DamagedError. Once one was seen the vault refuses every further read
// and write with it: nothing more is served from a file known to be bad.

// damage is the first damage a vault saw; the zero value is undamaged.
type damage struct {
	mu   sync.Mutex
	err  *DamagedError
	done chan struct{} // closed when err is set
}

func newDamage() *damage { return &damage{done: make(chan struct{})} }

func (d *damage) get() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		return nil
	}
	return d.err
}

func (d *damage) set(e *DamagedError) *DamagedError {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		d.err = e
		close(d.done)
	}
	return d.err
}

// Damaged is closed once the vault saw damage; Err then returns it.
func (v *Bolt) Damaged() <-chan struct{} { return v.dmg.done }

// Err returns the damage the vault saw, nil if none.
func (v *Bolt) Err() error { return v.dmg.get() }

func (v *Bolt) view(fn func(*bolt.Tx) error) error {
	return v.guard(func() error { return v.db.View(fn) })
}

func (v *Bolt) update(fn func(*bolt.Tx) error) error {
	return v.guard(func() error { return v.db.Update(fn) })
}

// guard runs do with faults turned into panics and panics that come from
// reading the file turned into a *DamagedError.
func (v *Bolt) guard(do func() error) (err error) {
	if err := v.dmg.get(); err != nil {
		return err
	}
	return v.dmg.run(v.mapInfo, do)
}

// run is guard for a vault being opened as well as an open one.
func (d *damage) run(info func() (uintptr, int), do func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		r := recover()
		if r == nil {
			return
		}
		e := fromPanic(r, info)
		if e == nil {
			panic(r) // a bug, not the file: keep its stack
		}
		err = d.set(e)
	}()
	return do()
}

// mapInfo returns the start of the memory map and the page size; zeros
// when the file is not mapped.
func (v *Bolt) mapInfo() (base uintptr, pageSize int) {
	defer func() { recover() }() // bbolt asserts when unmapped
	i := v.db.Info()
	return i.Data, i.PageSize
}

// faultAddr is what a panic from debug.SetPanicOnFault carries.
type faultAddr interface{ Addr() uintptr }

var pageInPanic = regexp.MustCompile(`(?i)page(?: expected to be:| id:?|)\s*\(?(\d+)`)

// fromPanic returns the damage a recovered panic reports, nil when the
// panic is not about the file: a memory fault, or any panic raised inside
// bbolt's code, is; a panic elsewhere is a bug and is not hidden.
func fromPanic(r any, info func() (uintptr, int)) *DamagedError {
	if f, ok := r.(faultAddr); ok {
		base, ps := info()
		addr := f.Addr()
		if ps > 0 && addr >= base {
			p := uint64(addr-base) / uint64(ps)
			return damagedAt(p, "a read of page %d faulted", p)
		}
		return &DamagedError{Reason: "a read ran off the file"}
	}
	if !panickedInBolt() {
		return nil
	}
	msg := fmt.Sprint(r)
	if m := pageInPanic.FindStringSubmatch(msg); m != nil {
		if p, err := strconv.ParseUint(m[1], 10, 64); err == nil {
			return damagedAt(p, "%s", oneLine(msg))
		}
	}
	return &DamagedError{Reason: oneLine(msg)}
}

// panickedInBolt reports whether the innermost non-runtime frame of the
// panicking stack is bbolt's.
func panickedInBolt() bool {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		switch {
		case strings.HasPrefix(f.Function, "runtime."):
		case strings.Contains(f.Function, "/vault.fromPanic"), strings.Contains(f.Function, "/vault.(*damage).run"):
		default:
			return strings.HasPrefix(f.Function, "go.etcd.io/bbolt")
		}
		if !more {
			return false
		}
	}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
