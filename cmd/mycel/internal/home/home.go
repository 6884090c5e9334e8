package home

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Env is the environment variable naming the home directory.
const Env = "MYCEL_HOME"

// Errors about the home directory.
var (
	ErrNoHome = errors.New("no mycel home")
	ErrExists = errors.New("home already exists")
)

// File names inside a home.
const (
	ConfigFile = "config.toml"
	VaultFile  = "vault.db"
	APIFile    = "api"
	TokenFile  = "api.token"
	LockFile   = "lock"
)

// Home is a home directory. Its methods return the paths of its files.
type Home struct{ Dir string }

// Resolve picks the home: flag if set, else $MYCEL_HOME, else ~/.mycel.
func Resolve(flag string) (Home, error) {
	dir := flag
	if dir == "" {
		dir = os.Getenv(Env)
	}
	if dir == "" {
		u, err := os.UserHomeDir()
		if err != nil {
			return Home{}, fmt.Errorf("find home directory: %w (set %s or use --home)", err, Env)
		}
		dir = filepath.Join(u, ".mycel")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Home{}, fmt.Errorf("home %s: %w", dir, err)
	}
	return Home{Dir: abs}, nil
}

func (h Home) path(name string) string { return filepath.Join(h.Dir, name) }

// Config is the path of config.toml.
func (h Home) Config() string { return h.path(ConfigFile) }

// Vault is the path of the bbolt vault.
func (h Home) Vault() string { return h.path(VaultFile) }

// API is the path of the file where a running daemon writes its API address.
func (h Home) API() string { return h.path(APIFile) }

// Token is the path of the API bearer token.
func (h Home) Token() string { return h.path(TokenFile) }

// Lock is the path of the file the daemon locks while it runs.
func (h Home) Lock() string { return h.path(LockFile) }

// Check returns ErrNoHome, wrapped with a remedy, when h holds no config.
func (h Home) Check() error {
	if _, err := os.Stat(h.Config()); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%w at %s (run: mycel init)", ErrNoHome, h.Dir)
		}
		return fmt.Errorf("home %s: %w", h.Dir, err)
	}
	return nil
}
