package node

import (
	"context"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/grid/wasm"
)

// WasmRunner runs jobs in r with each job's own caps (memory, seconds)
// and the stream's output cap: the GridRunner a provider node uses.
func WasmRunner(r *wasm.Runner) GridRunner { return wasmRunner{r} }

type wasmRunner struct{ r *wasm.Runner }

func (w wasmRunner) RunJob(ctx context.Context, job cid.Cid, j *grid.Job, module, input []byte) (GridOutput, error) {
	out, err := w.r.Run(ctx, wasm.Spec{
		Job: job.Bytes(), Module: module, Input: input, Args: j.Args,
		MemoryPages: j.MemoryMiB * 16, Timeout: time.Duration(j.MaxSeconds) * time.Second, MaxOutput: MaxGridOutput,
	})
	if err != nil {
		return GridOutput{}, err
	}
	return GridOutput{Stdout: out.Stdout, Exit: out.Exit, Duration: out.Duration, Err: out.Err}, nil
}
