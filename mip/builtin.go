package mip

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"
)

//go:embed builtin/*.json
var builtinFS embed.FS

// builtinFile is the layout of mip/builtin/*.json: one MIP per file, the
// schema and examples as JSON values.
type builtinFile struct {
	ID       string            `json:"id"`
	Version  int               `json:"version"`
	Title    string            `json:"title"`
	Policy   Policy            `json:"policy"`
	Schema   json.RawMessage   `json:"schema"`
	Examples []json.RawMessage `json:"examples"`
}

// builtins are compiled once; every Builtins registry shares the
// immutable definitions.
var builtins = sync.OnceValues(loadBuiltins)

func loadBuiltins() ([]*def, error) {
	names, err := builtinFS.ReadDir("builtin")
	if err != nil {
		return nil, err
	}
	var defs []*def
	for _, n := range names {
		d, err := loadBuiltin("builtin/" + n.Name())
		if err != nil {
			return nil, fmt.Errorf("built-in %s: %w", n.Name(), err)
		}
		d.fixed = true
		defs = append(defs, d)
	}
	return defs, nil
}

func loadBuiltin(path string) (*def, error) {
	data, err := builtinFS.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f builtinFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	m := MIP{ID: f.ID, Version: f.Version, Title: f.Title, Schema: f.Schema, Policy: f.Policy}
	for _, raw := range f.Examples {
		ex, err := ClaimFromJSON(raw)
		if err != nil {
			return nil, err
		}
		m.Examples = append(m.Examples, ex)
	}
	return build(m)
}

// Builtins returns a fresh registry holding the built-in MIPs: MIP-HLT
// (health), MIP-EDU (education), MIP-AGR (agriculture), MIP-ENR (energy),
// MIP-MFG (manufacturing), MIP-BLD (buildings), MIP-SCM (logistics) and
// MIP-CAP (robot capability), all at version 1. Built-ins are fixed: no mip
// entry can redefine them.
func Builtins() *Registry {
	defs, err := builtins()
	if err != nil {
		panic(err) // the embedded files are tested; this is a build defect
	}
	r := New()
	for _, d := range defs {
		r.defs[d.m.Ref()] = d
	}
	return r
}

// Builtin reports whether ref names a built-in MIP version ("MIP-HLT@1"):
// one that counts in every district until its stewards retire it by vote,
// where a MIP published as an entry counts only once activated there.
func Builtin(ref string) bool {
	defs, err := builtins()
	if err != nil {
		return false
	}
	for _, d := range defs {
		if d.m.Ref() == ref {
			return true
		}
	}
	return false
}
