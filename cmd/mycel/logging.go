package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"strings"

	golog "github.com/ipfs/go-log/v2"
	"github.com/libp2p/go-libp2p/gologshim"
	"go.uber.org/zap/zapcore"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

// Log formats and levels of --log-format and --log-level.
var (
	logFormats = []string{"text", "json"}
	logLevels  = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}
)

// logFlags are the daemon's log settings; empty means the config's, then
// the default (info, text).
type logFlags struct{ level, format string }

// newLogger builds the daemon's logger on w (stderr): flags first, then
// config.toml's [log], then info and text.
func newLogger(w io.Writer, f logFlags, cfg home.Log) (*slog.Logger, error) {
	level, format := pick(f.level, cfg.Level, "info"), pick(f.format, cfg.Format, "text")
	lvl, ok := logLevels[strings.ToLower(level)]
	if !ok {
		return nil, usageErr("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageErr("--log-format %q: want text or json", format)
}

func pick(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// quietLibraries routes the loggers of the libraries the daemon runs
// through l, each line tagged with logger=<subsystem>: go-libp2p's (slog),
// go-log's (pubsub, the DHT) and the standard log package's (zeroconf).
// They are quiet at the default level: libp2p and go-log lines appear from
// error up (warn up with --log-level debug), the standard log's at debug.
func quietLibraries(l *slog.Logger) {
	min := slog.LevelError
	if l.Enabled(context.Background(), slog.LevelDebug) {
		min = slog.LevelWarn
	}
	h := floor{l.Handler(), min}
	gologshim.SetDefaultHandler(h)
	golog.SetPrimaryCore(slogCore{h: h})
	golog.SetAllLoggers(golog.LevelWarn)
	log.SetFlags(0)
	log.SetOutput(lineWriter{l.With("logger", "stdlog")})
}

// floor is a handler that drops records under min.
type floor struct {
	slog.Handler
	min slog.Level
}

func (f floor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}
func (f floor) WithAttrs(a []slog.Attr) slog.Handler { return floor{f.Handler.WithAttrs(a), f.min} }
func (f floor) WithGroup(g string) slog.Handler      { return floor{f.Handler.WithGroup(g), f.min} }

// slogCore is a zap core that writes through a slog handler.
type slogCore struct {
	h      slog.Handler
	fields []zapcore.Field
}

var _ zapcore.Core = slogCore{}

func (c slogCore) Enabled(l zapcore.Level) bool {
	return c.h.Enabled(context.Background(), zapToSlog(l))
}

func (c slogCore) With(fs []zapcore.Field) zapcore.Core {
	return slogCore{h: c.h, fields: append(c.fields[:len(c.fields):len(c.fields)], fs...)}
}

func (c slogCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c slogCore) Write(e zapcore.Entry, fs []zapcore.Field) error {
	r := slog.NewRecord(e.Time, zapToSlog(e.Level), e.Message, 0)
	if e.LoggerName != "" {
		r.AddAttrs(slog.String("logger", e.LoggerName))
	}
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range append(c.fields, fs...) {
		f.AddTo(enc)
	}
	for k, v := range enc.Fields {
		r.AddAttrs(slog.Any(k, v))
	}
	return c.h.Handle(context.Background(), r)
}

func (slogCore) Sync() error { return nil }

func zapToSlog(l zapcore.Level) slog.Level {
	switch {
	case l <= zapcore.DebugLevel:
		return slog.LevelDebug
	case l == zapcore.InfoLevel:
		return slog.LevelInfo
	case l == zapcore.WarnLevel:
		return slog.LevelWarn
	}
	return slog.LevelError
}

// lineWriter turns the standard log package's lines into debug records.
type lineWriter struct{ l *slog.Logger }

func (w lineWriter) Write(p []byte) (int, error) {
	sc := bufio.NewScanner(strings.NewReader(string(p)))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			w.l.Debug(line)
		}
	}
	return len(p), nil
}

// logFlagHelp is the help of --log-level and --log-format.
var logFlagHelp = struct{ level, format string }{
	level:  "log level: debug, info, warn or error (default: config.toml [log] level, else info)",
	format: fmt.Sprintf("log format on stderr: %s (default: config.toml [log] format, else text)", strings.Join(logFormats, " or ")),
}
