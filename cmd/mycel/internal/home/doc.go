// Package home lays out a Mycel home directory ($MYCEL_HOME, default
// ~/.mycel) and reads and writes the small files in it: the commented TOML
// config, the API token, the daemon's API address file and its lock.
//
//	h, err := home.Resolve(flagValue)
//	cfg, err := home.LoadConfig(h.Config())
//	lock, err := home.Acquire(h.Lock()) // held by the daemon
package home
