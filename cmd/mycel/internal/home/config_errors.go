package home

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// located rewrites an error of ParseConfig on the content data of the
// file path so that it names the file, the line and the key as the file
// writes them ("network.mdns"), never a Go struct field:
//
//	bad config: /home/me/.mycel/config.toml:7: network.mdns: want true or false, got a string
//
// The line of a value Validate refused is found by its key; when it
// cannot be found (a default the file does not set) the file alone is
// named.
func located(path string, data []byte, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		return decodeErr(path, &strict.Errors[0])
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		return decodeErr(path, de)
	}
	msg, ok := strings.CutPrefix(err.Error(), ErrBadConfig.Error()+": ")
	if !ok {
		return err
	}
	if line := keyLine(data, validatedKey(msg)); line > 0 {
		return fmt.Errorf("%w: %s:%d: %s", ErrBadConfig, path, line, msg)
	}
	return fmt.Errorf("%w: %s: %s", ErrBadConfig, path, msg)
}

// typeMismatch is go-toml's message for a value of the wrong type.
var typeMismatch = regexp.MustCompile(`cannot decode TOML (\w+) into .* of type (\S+)`)

func decodeErr(path string, de *toml.DecodeError) error {
	row, _ := de.Position()
	key := strings.Join(de.Key(), ".")
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	switch m := typeMismatch.FindStringSubmatch(msg); {
	case msg == "unknown field" || strings.HasPrefix(msg, "strict mode"):
		msg = "unknown key " + key + " (see docs/CLI.md, Home)"
	case m != nil:
		msg = fmt.Sprintf("%s: want %s, got %s", key, goTypeWords(m[2]), tomlTypeWords(m[1]))
	case key != "":
		msg = key + ": " + msg
	}
	return fmt.Errorf("%w: %s:%d: %s", ErrBadConfig, path, row, msg)
}

func goTypeWords(t string) string {
	switch {
	case t == "string":
		return "a string in quotes"
	case t == "bool":
		return "true or false"
	case t == "[]string":
		return `a list of strings, like ["a", "b"]`
	case strings.HasPrefix(t, "map["):
		return "a table"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		return "a whole number"
	case strings.HasPrefix(t, "home."):
		return "a table"
	}
	return t
}

func tomlTypeWords(t string) string {
	switch t {
	case "integer":
		return "a number"
	case "array":
		return "a list"
	case "boolean", "bool":
		return "true or false"
	}
	return "a " + t
}

// validatedKey is the key that starts a Validate message: "district",
// "network.listen", "pins" ...
func validatedKey(msg string) string {
	end := strings.IndexAny(msg, " :")
	if end < 0 {
		return msg
	}
	return msg[:end]
}

// keyLine is the 1-based line of data that sets the dotted key (a table
// header for a table), or 0. It reads lines, not TOML: enough for the
// files init writes and people edit.
func keyLine(data []byte, dotted string) int {
	if dotted == "" {
		return 0
	}
	table, key := "", dotted
	if i := strings.LastIndex(dotted, "."); i >= 0 {
		table, key = dotted[:i], dotted[i+1:]
	}
	cur := ""
	for i, line := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "[") {
			cur = strings.TrimSpace(strings.Trim(strings.SplitN(l, "#", 2)[0], " []"))
			if cur == dotted {
				return i + 1
			}
			continue
		}
		name, _, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		name = strings.Trim(strings.TrimSpace(name), `"'`)
		if (cur == table && name == key) || (cur == "" && name == dotted) {
			return i + 1
		}
	}
	return 0
}

// keptErr reads as msg and wraps errs: ErrBadConfig, and go-toml's error
// that located reads the position from.
type keptErr struct {
	msg  string
	errs []error
}

func (k *keptErr) Error() string   { return k.msg }
func (k *keptErr) Unwrap() []error { return k.errs }
