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

// TestSpinModule: the counting module prints ok, the later the larger n.
func TestSpinModule(t *testing.T) {
	r, err := wasm.NewRunner(context.Background(), wasm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, n := range []uint32{1, 1000, 1 << 20} {
		out, err := r.Run(context.Background(), wasm.Spec{Job: []byte("spin"), Module: wasm.Spin(n)})
		if err != nil || out.Err != "" || string(out.Stdout) != "ok\n" {
			t.Fatalf("spin %d: %+v, %v", n, out, err)
		}
	}
}
