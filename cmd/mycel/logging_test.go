package main

import (
	"bytes"
	"encoding/json"
	"log"
	"os"
	"strings"
	"testing"

	golog "github.com/ipfs/go-log/v2"
	"github.com/libp2p/go-libp2p/gologshim"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

// TestLibrariesThroughSlog: after quietLibraries, go-libp2p's slog
// loggers, go-log's zap loggers and the standard log package write
// through the daemon's handler, tagged with their subsystem; at the
// default level only their errors appear, the standard log's lines not at
// all.
func TestLibrariesThroughSlog(t *testing.T) {
	var buf bytes.Buffer
	l, err := newLogger(&buf, logFlags{format: "json"}, home.Log{})
	if err != nil {
		t.Fatal(err)
	}
	quietLibraries(l)
	t.Cleanup(func() { log.SetOutput(os.Stderr); log.SetFlags(log.LstdFlags) })

	shim := gologshim.Logger("mycel-test-shim")
	shim.Info("shim info")
	shim.Error("shim error", "k", 1)
	zl := golog.Logger("mycel-test-zap")
	zl.Warn("zap warn")
	zl.Errorw("zap error", "k", 2)
	log.Print("stdlog line")

	var got []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		got = append(got, m)
	}
	if len(got) != 2 {
		t.Fatalf("%d lines, want the two errors:\n%s", len(got), buf.String())
	}
	if got[0]["msg"] != "shim error" || got[0]["logger"] != "mycel-test-shim" || got[0]["level"] != "ERROR" {
		t.Errorf("libp2p line %v", got[0])
	}
	if got[1]["msg"] != "zap error" || got[1]["logger"] != "mycel-test-zap" || got[1]["k"] != 2.0 {
		t.Errorf("go-log line %v", got[1])
	}

	buf.Reset()
	dl, _ := newLogger(&buf, logFlags{level: "debug", format: "json"}, home.Log{})
	quietLibraries(dl)
	log.Print("stdlog at debug")
	if !strings.Contains(buf.String(), `"logger":"stdlog"`) || !strings.Contains(buf.String(), "stdlog at debug") {
		t.Fatalf("standard log at debug: %q", buf.String())
	}
}

// TestLogConfig: flags win over config.toml's [log], which wins over the
// defaults; bad values are usage errors.
func TestLogConfig(t *testing.T) {
	var buf bytes.Buffer
	l, err := newLogger(&buf, logFlags{}, home.Log{Level: "warn", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	l.Info("hidden")
	l.Warn("shown")
	if s := buf.String(); strings.Contains(s, "hidden") || !strings.HasPrefix(s, "{") {
		t.Fatalf("config level and format not applied: %q", s)
	}
	buf.Reset()
	l, _ = newLogger(&buf, logFlags{level: "info", format: "text"}, home.Log{Level: "error", Format: "json"})
	l.Info("shown")
	if s := buf.String(); !strings.Contains(s, "msg=shown") {
		t.Fatalf("flags did not win: %q", s)
	}
	if _, err := newLogger(&buf, logFlags{level: "loud"}, home.Log{}); err == nil {
		t.Fatal("bad level accepted")
	}
	if _, err := home.ParseConfig([]byte("district = \"\"\nprofile = \"laptop\"\n[api]\naddress = \"127.0.0.1:1\"\n[log]\nlevel = \"loud\"\n")); err == nil || !strings.Contains(err.Error(), "log.level") {
		t.Fatalf("bad [log] level in config.toml: %v", err)
	}
}
