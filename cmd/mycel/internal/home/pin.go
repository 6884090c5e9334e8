package home

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// SetPin writes the pin district = c into the [pins] table of the
// config.toml at path by a textual edit that keeps every other line and
// comment: the line of an existing pin of district is replaced, else the
// pin is added at the end of the table (a table is added at the end of
// the file when there is none). The result must parse and validate
// (ParseConfig), or the file is left as it was. The file is replaced
// atomically, keeping its permissions.
func SetPin(path, district, c string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	out := []byte(withPin(string(data), district, c))
	cfg, err := ParseConfig(out)
	if err != nil {
		return Config{}, fmt.Errorf("%s with the pin: %w", path, err)
	}
	return cfg, replaceFile(path, out)
}

// tableHeader matches a TOML table or array-of-tables header line.
var tableHeader = regexp.MustCompile(`^\s*\[`)

// withPin returns text with the pin set (see SetPin).
func withPin(text, district, c string) string {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	entry := fmt.Sprintf("%q = %q\n", district, c)
	key := regexp.MustCompile(`^\s*(?:"` + regexp.QuoteMeta(district) + `"|'` + regexp.QuoteMeta(district) + `'|` + regexp.QuoteMeta(district) + `)\s*=`)
	in, start, end := false, -1, len(lines)
	for i, ln := range lines {
		if tableHeader.MatchString(ln) {
			if in {
				end = i
				break
			}
			if strings.TrimSpace(strings.SplitN(ln, "#", 2)[0]) == "[pins]" {
				in, start = true, i
			}
			continue
		}
		if in && key.MatchString(ln) {
			lines[i] = entry
			return strings.Join(lines, "")
		}
	}
	if start < 0 {
		body := strings.Join(lines, "")
		if body != "" && !strings.HasSuffix(body, "\n") {
			body += "\n"
		}
		return body + "\n[pins]\n" + entry
	}
	// After the table's last non-blank line, before the blank lines that
	// separate it from the next table.
	at := end
	for at > start+1 && strings.TrimSpace(lines[at-1]) == "" {
		at--
	}
	if at > 0 && !strings.HasSuffix(lines[at-1], "\n") {
		lines[at-1] += "\n"
	}
	out := append(append(append([]string{}, lines[:at]...), entry), lines[at:]...)
	return strings.Join(out, "")
}

// replaceFile writes data to path through a temporary file in the same
// directory and a rename, keeping path's permissions.
func replaceFile(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.toml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
