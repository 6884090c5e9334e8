package dashboard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// prop is one claim field of a MIP's schema, as a form shows it.
type prop struct {
	Name        string
	Type        string // integer | number | string | boolean | enum
	Enum        []string
	Description string
	Unit        string // the schema's "unit" or "x-unit", when it gives one
	Required    bool
	Min, Max    string // bounds, as written in the schema
	Pattern     string
	Value       string // what the form held last
	Err         string // why the API refused it
}

// props are a schema's fields in the schema's order.
type props struct {
	list   []*prop
	byName map[string]*prop
}

type rawProp struct {
	Type        any               `json:"type"`
	Enum        []json.RawMessage `json:"enum"`
	Description string            `json:"description"`
	Unit        string            `json:"unit"`
	XUnit       string            `json:"x-unit"`
	Minimum     json.Number       `json:"minimum"`
	Maximum     json.Number       `json:"maximum"`
	Pattern     string            `json:"pattern"`
}

// schemaProps reads the top-level properties of a claim schema; a schema
// it cannot read gives none (the form then takes the claim as JSON).
func schemaProps(schema json.RawMessage) props {
	out := props{byName: map[string]*prop{}}
	var top struct {
		Required   []string        `json:"required"`
		Properties json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(schema, &top) != nil {
		return out
	}
	for _, name := range objectKeys(top.Properties) {
		var rp rawProp
		var all map[string]json.RawMessage
		json.Unmarshal(top.Properties, &all)
		if json.Unmarshal(all[name], &rp) != nil {
			continue
		}
		p := &prop{Name: name, Description: rp.Description, Unit: rp.Unit, Min: rp.Minimum.String(), Max: rp.Maximum.String(), Pattern: rp.Pattern}
		if p.Unit == "" {
			p.Unit = rp.XUnit
		}
		p.Type, _ = rp.Type.(string)
		for _, e := range rp.Enum {
			var s string
			if json.Unmarshal(e, &s) == nil {
				p.Enum = append(p.Enum, s)
			}
		}
		if len(p.Enum) > 0 {
			p.Type = "enum"
		}
		for _, r := range top.Required {
			p.Required = p.Required || r == name
		}
		out.list = append(out.list, p)
		out.byName[name] = p
	}
	return out
}

// objectKeys lists the keys of a JSON object in their order.
func objectKeys(obj json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
		keys = append(keys, k)
	}
	return keys
}

// claim builds a claim from the form's values: numbers where the schema
// wants them and the value reads as one, the value as text otherwise (the
// API's schema check then names the field).
func (ps props) claim(value func(string) string) (json.RawMessage, error) {
	c := map[string]any{}
	for _, p := range ps.list {
		s := strings.TrimSpace(value(p.Name))
		p.Value = s
		if s == "" {
			continue
		}
		switch p.Type {
		case "integer":
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				c[p.Name] = n
				continue
			}
		case "number":
			if _, err := strconv.ParseFloat(s, 64); err == nil {
				c[p.Name] = json.Number(s)
				continue
			}
		case "boolean":
			c[p.Name] = s == "true" || s == "on"
			continue
		}
		c[p.Name] = s
	}
	return json.Marshal(c)
}

// fieldProblem matches one problem of a claim error: `claim field
// "/name": problem`.
var fieldProblem = regexp.MustCompile(`claim field "/([^"]*)": `)

// place puts the problems of a claim error next to their fields; it
// returns what it could not place.
func (ps props) place(msg string) string {
	if i := strings.LastIndex(msg, " (schema of "); i >= 0 {
		msg = msg[:i]
	}
	locs := fieldProblem.FindAllStringSubmatchIndex(msg, -1)
	if len(locs) == 0 {
		return msg
	}
	var rest []string
	if pre := strings.TrimSpace(strings.TrimSuffix(msg[:locs[0][0]], "; ")); pre != "" {
		rest = append(rest, pre)
	}
	for i, l := range locs {
		end := len(msg)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		name := msg[l[2]:l[3]]
		problem := strings.TrimSuffix(strings.TrimSpace(msg[l[1]:end]), ";")
		if p, ok := ps.byName[name]; ok {
			p.Err = joinProblem(p.Err, problem)
			continue
		}
		rest = append(rest, fmt.Sprintf("field %q: %s", name, problem))
	}
	return strings.Join(rest, "; ")
}

func joinProblem(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
