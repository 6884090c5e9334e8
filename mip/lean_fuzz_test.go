package mip

import (
	"encoding/json"
	"testing"
)

// FuzzLeanAgrees: for any claim a user could write, the lean schema with
// its exact integer checks passes exactly the claims the full schema
// passes, for every built-in MIP.
func FuzzLeanAgrees(f *testing.F) {
	r := Builtins()
	mips := r.List()
	for i, m := range mips {
		for _, ex := range m.Examples {
			data, err := json.Marshal(ex)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(i), data)
		}
	}
	f.Add(uint8(0), []byte(`{"cohort_size": -1}`))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		m := mips[int(which)%len(mips)]
		claim, err := ClaimFromJSON(data)
		if err != nil {
			return
		}
		agree(t, r.find(m.Ref()), claim, m.Ref())
	})
}
