//go:build !unix

package vault

// freeBytes cannot tell the free space where statfs does not exist.
func freeBytes(string) (int64, bool) { return 0, false }
