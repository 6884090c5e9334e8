//go:build !unix

package vault

import (
	"os"
	"time"
)

// lockShared is a no-op where flock does not exist; bbolt's own lock
// still guards the open that follows.
func lockShared(*os.File, time.Duration) error { return nil }
