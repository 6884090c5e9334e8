package grid

import (
	"unicode/utf8"

	"github.com/mesocosm/mycel/protocol"
)

// Job is the body of a "job" entry: its author (the requester) asks
// Replicas providers to run Module on Input with Args, within MemoryMiB
// and MaxSeconds, for at most MaxPrice of Unit each, in District. The job
// is verified when a strict majority of Replicas agree (see Status).
type Job struct {
	Module     protocol.Link `cbor:"module"` // BytesCID of the module
	Input      protocol.Link `cbor:"input"`  // BytesCID of stdin, empty bytes included
	Args       []string      `cbor:"args"`   // at most MaxArgs, each at most MaxArg bytes of UTF-8
	MemoryMiB  uint32        `cbor:"memory"`
	MaxSeconds uint32        `cbor:"seconds"`
	Replicas   uint8         `cbor:"replicas"` // 1..MaxReplicas
	MaxPrice   uint64        `cbor:"price"`    // per provider, 0..settle.MaxAmount
	Unit       string        `cbor:"unit"`
	District   string        `cbor:"district"`
}

// Check validates the job's shape.
func (j *Job) Check() error {
	if err := checkBytes("module", j.Module); err != nil {
		return err
	}
	if err := checkBytes("input", j.Input); err != nil {
		return err
	}
	if len(j.Args) > MaxArgs {
		return badBody("args has %d arguments, limit %d", len(j.Args), MaxArgs)
	}
	for i, a := range j.Args {
		if len(a) > MaxArg || !utf8.ValidString(a) {
			return badBody("argument %d is not UTF-8 of at most %d bytes", i, MaxArg)
		}
	}
	if err := checkCaps(j.MemoryMiB, j.MaxSeconds); err != nil {
		return err
	}
	if j.Replicas == 0 || j.Replicas > MaxReplicas {
		return badBody("replicas %d outside 1..%d", j.Replicas, MaxReplicas)
	}
	if err := checkPrice("price", j.MaxPrice, j.Unit); err != nil {
		return err
	}
	if !protocol.ValidDistrict(j.District) {
		return badBody("district %q is not a lowercase path", j.District)
	}
	return nil
}

// Majority returns how many agreeing results verify the job: the least
// count above half of Replicas.
func (j *Job) Majority() int { return int(j.Replicas)/2 + 1 }
