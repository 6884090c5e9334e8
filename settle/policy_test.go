package settle

import (
	"testing"

	"github.com/mesocosm/mycel/mip"
)

func TestPolicyOfBuiltins(t *testing.T) {
	p := PolicyOf(mip.Builtins())
	if k, ok := p("MIP-HLT@1"); !ok || k < 1 {
		t.Fatalf("MIP-HLT@1: k=%d ok=%v", k, ok)
	}
	if _, ok := p("MIP-NOPE@1"); ok {
		t.Fatal("an unknown MIP has a policy")
	}
}
