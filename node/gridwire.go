package node

import (
	"github.com/mesocosm/mycel/protocol"
)

// GridProtocol carries one job to a provider and its result back: the
// requester writes a gridRequest, the provider answers one gridReply,
// each a uvarint length and a DAG-CBOR map (docs/PROTOCOL.md, OpenGrid).
const GridProtocol = "/mycel/grid/1"

// Limits of the grid stream.
const (
	MaxGridModule = 16 << 20 // bytes of a job's module
	MaxGridInput  = 4 << 20  // bytes of a job's stdin
	MaxGridOutput = 4 << 20  // bytes of a result's stdout
	// maxGridMessage bounds one message: the largest parts plus a signed
	// entry and the map's own bytes.
	maxGridMessage = MaxGridModule + MaxGridInput + 2*protocol.MaxEntrySize + 1024
)

// gridRequest asks a provider to run a job: the job entry's bytes, as
// signed by the requester, and the module and input bytes it links.
type gridRequest struct {
	Job    []byte `cbor:"job"`
	Module []byte `cbor:"module"`
	Input  []byte `cbor:"input"`
}

// gridReply is the provider's answer: its result entry's bytes and the
// output the result links, or why it did not run the job.
type gridReply struct {
	Result []byte `cbor:"result"`
	Output []byte `cbor:"output"`
	Error  string `cbor:"error"`
}
