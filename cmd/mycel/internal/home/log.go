package home

import (
	"fmt"
	"slices"
	"strings"
)

// Log holds the daemon's log settings; empty fields take the defaults.
type Log struct {
	Level  string `toml:"level"`  // debug | info | warn | error; default info
	Format string `toml:"format"` // text | json; default text
}

// LogLevels and LogFormats are the values Log accepts.
var (
	LogLevels  = []string{"debug", "info", "warn", "error"}
	LogFormats = []string{"text", "json"}
)

func (l Log) validate() error {
	if l.Level != "" && !slices.Contains(LogLevels, l.Level) {
		return fmt.Errorf("%w: log.level %q, want one of %s", ErrBadConfig, l.Level, strings.Join(LogLevels, ", "))
	}
	if l.Format != "" && !slices.Contains(LogFormats, l.Format) {
		return fmt.Errorf("%w: log.format %q, want one of %s", ErrBadConfig, l.Format, strings.Join(LogFormats, ", "))
	}
	return nil
}
