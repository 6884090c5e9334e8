package wasm_test

import (
	"context"
	"fmt"

	"github.com/mesocosm/mycel/grid/wasm"
	"github.com/mesocosm/mycel/protocol"
)

func Example() {
	ctx := context.Background()
	r, err := wasm.NewRunner(ctx, wasm.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	jobCID := protocol.Sum([]byte("a job entry")) // the job entry's CID seeds the clocks and randomness
	out, err := r.Run(ctx, wasm.Spec{
		Job:    jobCID.Bytes(),
		Module: hello("hello\n"), // a WASI command's bytes
		Input:  []byte("stdin"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q exit %d err %q\n", out.Stdout, out.Exit, out.Err)
	// Output: "hello\n" exit 0 err ""
}
