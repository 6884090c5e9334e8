package grid

import (
	"unicode"

	"github.com/mesocosm/mycel/protocol"
)

// Errors a provider reports in a result, by convention; any short text is
// allowed.
const (
	ErrorTimeout   = "timeout"    // the run passed the job's seconds
	ErrorMemory    = "memory"     // the module asked for more than the job's memory
	ErrorOutputCut = "output cut" // the output passed the provider's cap and was cut
	ErrorTrap      = "trap"       // the module trapped
)

// Result is the body of a "result" entry: its author (a provider) ran the
// job Job links and got Output (Size bytes) with exit code Exit in
// DurationMS, spending Fuel (0 when the runtime does not count it). A
// non-empty Error says the run failed; a failed result is never part of
// an agreement.
type Result struct {
	Job        protocol.Link `cbor:"job"`    // a block of the job entry
	Output     protocol.Link `cbor:"output"` // BytesCID of stdout, as far as it went
	OutputSize uint64        `cbor:"size"`   // 0..MaxOutput
	Exit       uint32        `cbor:"exit"`
	DurationMS uint64        `cbor:"duration"` // 0..MaxSeconds*1000
	Fuel       uint64        `cbor:"fuel"`
	Error      string        `cbor:"error"` // at most MaxError bytes, printable
}

// Check validates the result's shape.
func (r *Result) Check() error {
	if err := checkEntry("job", r.Job); err != nil {
		return err
	}
	if err := checkBytes("output", r.Output); err != nil {
		return err
	}
	if r.OutputSize > MaxOutput {
		return badBody("size %d above %d", r.OutputSize, uint64(MaxOutput))
	}
	if r.DurationMS > MaxSeconds*1000 {
		return badBody("duration %d ms above %d", r.DurationMS, MaxSeconds*1000)
	}
	if len(r.Error) > MaxError {
		return badBody("error is %d bytes, limit %d", len(r.Error), MaxError)
	}
	for _, c := range r.Error {
		if c == unicode.ReplacementChar || !unicode.IsPrint(c) {
			return badBody("error holds a character that is not printable UTF-8")
		}
	}
	return nil
}

// Failed reports whether the run failed.
func (r *Result) Failed() bool { return r.Error != "" }
