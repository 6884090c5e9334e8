package wasm_test

import (
	"context"
	"testing"

	"github.com/mesocosm/mycel/grid/wasm"
)

// TestEchoModule: the hand-assembled module copies stdin to stdout.
func TestEchoModule(t *testing.T) {
	r, err := wasm.NewRunner(context.Background(), wasm.Options{Interpreter: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out, err := r.Run(context.Background(), wasm.Spec{Job: []byte("echo"), Module: wasm.Echo, Input: []byte("soil moisture 31%\n")})
	if err != nil || out.Err != "" || out.Exit != 0 || string(out.Stdout) != "soil moisture 31%\n" {
		t.Fatalf("echo: %+v, %v", out, err)
	}
}
