package vault_test

import (
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newBolt creates a vault in t's temp dir, checked for consistency and
// closed when t ends.
func newBolt(t *testing.T) *vault.Bolt {
	t.Helper()
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := v.Close(); err != nil {
			t.Error(err)
		}
	})
	t.Cleanup(func() {
		if err := v.Check(); err != nil {
			t.Error(err)
		}
	})
	return v
}

func TestConformance(t *testing.T) {
	vaulttest.Test(t, func(t *testing.T) vault.Store { return newBolt(t) })
}
