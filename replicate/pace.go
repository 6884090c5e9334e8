package replicate

import (
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
)

// writeChunk is the most bytes one paced write hands the stream, so that
// the idle deadline measures progress, not the size of a message.
const writeChunk = 64 << 10

// paced is a stream on which every read and write must make progress
// within idle, and all of them end by end.
type paced struct {
	st    network.Stream
	idle  time.Duration
	end   time.Time
	moved *atomic.Int64 // set to now() when a whole Write is done; nil: none
	now   func() time.Time
}

func (p *paced) Read(b []byte) (int, error) {
	_ = p.st.SetReadDeadline(p.next())
	n, err := p.st.Read(b)
	return n, p.wrap(err)
}

func (p *paced) Write(b []byte) (int, error) {
	done := 0
	for done < len(b) {
		_ = p.st.SetWriteDeadline(p.next())
		n, err := p.st.Write(b[done:min(done+writeChunk, len(b))])
		if done += n; err != nil {
			return done, p.wrap(err)
		}
	}
	if p.moved != nil {
		p.moved.Store(p.now().UnixNano())
	}
	return done, nil
}

// next is the deadline of the next read or write.
func (p *paced) next() time.Time {
	if d := time.Now().Add(p.idle); d.Before(p.end) {
		return d
	}
	return p.end
}

// wrap names a deadline that passed: the session's or the idle one.
func (p *paced) wrap(err error) error {
	var ne net.Error
	if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
		return err
	}
	if !time.Now().Before(p.end) {
		return fmt.Errorf("%w: session deadline passed", ErrTimeout)
	}
	return fmt.Errorf("%w: no progress for %v", ErrTimeout, p.idle)
}
