package home

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigErrorsNameLineAndKey: a bad config.toml is reported with the
// file, the line and the key as the file writes it, never a Go field.
func TestConfigErrorsNameLineAndKey(t *testing.T) {
	good, err := (Config{District: "meso-valley/north", Profile: "laptop", API: API{Address: "127.0.0.1:5081"}, Network: Network{MDNS: true}}).Render()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(good), "\n")
	lineOf := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i + 1
			}
		}
		t.Fatalf("no line %q in the rendered config", prefix)
		return 0
	}
	edit := func(prefix, with string) string {
		out := append([]string{}, lines...)
		out[lineOf(prefix)-1] = with
		return strings.Join(out, "\n")
	}
	for _, tc := range []struct {
		name, content string
		line          int
		want          string
	}{
		{"type", edit("district =", "district = 5"), lineOf("district ="), "district: want a string in quotes, got a number"},
		{"bool", edit("mdns =", `mdns = "yes"`), lineOf("mdns ="), "network.mdns: want true or false, got a string"},
		{"list", edit("listen =", `listen = "/ip4/0.0.0.0/tcp/0"`), lineOf("listen ="), `network.listen: want a list of strings, like ["a", "b"], got a string`},
		{"unknown key", edit("[network]", "[network]\nlisten_addr = 1"), lineOf("[network]") + 1, "unknown key network.listen_addr"},
		{"syntax", string(good) + "\nx = [\n", len(lines) + 1, "array is incomplete"},
		{"validated", edit("district =", `district = "Bad Name"`), lineOf("district ="), `district "Bad Name" is not a lowercase path`},
		{"api not loopback", edit("address =", `address = "0.0.0.0:5811"`), lineOf("address ="), `api.address "0.0.0.0:5811" is not loopback: use 127.0.0.1:PORT`},
		{"api not host:port", edit("address =", `address = "5811"`), lineOf("address ="), `api.address "5811" is not host:port`},
		{"validated in a table", edit("listen =", `listen = ["nonsense"]`), lineOf("listen ="), `network.listen: "nonsense" is not a multiaddr`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			want := path + ":" + itoa(tc.line) + ": " + tc.want
			if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "home.") || strings.Contains(err.Error(), "struct field") {
				t.Fatalf("error %v, want one naming %q", err, want)
			}
		})
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
