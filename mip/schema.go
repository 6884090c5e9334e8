package mip

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// draft2020 is the only $schema a MIP may declare; without one, 2020-12
// applies.
const draft2020 = "https://json-schema.org/draft/2020-12/schema"

var printer = message.NewPrinter(language.English)

// noLoader refuses every URL: a claim schema is self-contained, and
// compiling one never touches the file system or the network.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external reference %s: claim schemas must be self-contained", url)
}

// compile parses and compiles a claim schema. The root must be an object
// schema ("type": "object").
func compile(ref string, raw []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadSchema, ref, err)
	}
	root, ok := doc.(map[string]any)
	if !ok || root["type"] != "object" {
		return nil, fmt.Errorf("%w: %s: root must be an object schema with \"type\": \"object\"", ErrBadSchema, ref)
	}
	if s, ok := root["$schema"]; ok && s != draft2020 {
		return nil, fmt.Errorf("%w: %s: $schema must be %s", ErrBadSchema, ref, draft2020)
	}
	return compileDoc(ref, doc)
}

// compileDoc compiles a parsed schema document.
func compileDoc(ref string, doc any) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(noLoader{})
	url := "https://mycel.invalid/mip/" + ref + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadSchema, ref, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %s", ErrBadSchema, ref, oneLine(err.Error()))
	}
	return sch, nil
}

// validate checks a claim against sch and names the first wrong field.
// A claim already in the validator's data model (as decoded from an
// entry) goes to it as is; others are converted by JSONValue, which also
// names what is not allowed.
func validate(sch *jsonschema.Schema, claim map[string]any) error {
	var v any = claim
	if !native(claim, 0) {
		var err error
		if v, err = JSONValue(claim); err != nil {
			return err
		}
	}
	err := sch.Validate(v)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	return firstField(ve)
}

// maxListed bounds the problems one claim error lists.
const maxListed = 16

// firstField turns a validation error tree into one FieldError: the
// smallest (field, problem) among its leaves, with the others (up to
// maxListed in all) in More, sorted, so the message is the same whatever
// order the validator walked the claim in.
func firstField(ve *jsonschema.ValidationError) error {
	var all []*FieldError
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			all = append(all, leaf(e)...)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	slices.SortFunc(all, func(a, b *FieldError) int {
		return cmp.Or(strings.Compare(a.Field, b.Field), strings.Compare(a.Problem, b.Problem))
	})
	all = slices.CompactFunc(all, func(a, b *FieldError) bool { return a.Field == b.Field && a.Problem == b.Problem })
	first := all[0]
	rest := all[1:]
	if len(rest) >= maxListed {
		rest = rest[:maxListed-1]
		first.More = append(rest, &FieldError{Field: "", Problem: fmt.Sprintf("and %d more", len(all)-maxListed)})
	} else {
		first.More = rest
	}
	return first
}

// leaf words one validation failure: one FieldError per field it names.
func leaf(e *jsonschema.ValidationError) []*FieldError {
	at := pointer(e.InstanceLocation)
	var out []*FieldError
	each := func(names []string, problem string) []*FieldError {
		for _, n := range names {
			out = append(out, &FieldError{Field: at + "/" + escape(n), Problem: problem})
		}
		return out
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		return each(k.Missing, "is required")
	case *kind.AdditionalProperties:
		return each(k.Properties, "is not a field of this MIP")
	}
	return []*FieldError{word(e, at)}
}

// word words a failure of one value.
func word(e *jsonschema.ValidationError, at string) *FieldError {
	f := func(field, format string, args ...any) *FieldError {
		return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return f(at, "must be %s, got %s", strings.Join(k.Want, " or "), k.Got)
	case *kind.Enum:
		return f(at, "%s is not one of %s", show(k.Got), showAll(k.Want))
	case *kind.Const:
		return f(at, "must be %s", show(k.Want))
	case *kind.Minimum:
		return f(at, "must be >= %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.Maximum:
		return f(at, "must be <= %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.ExclusiveMinimum:
		return f(at, "must be > %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.ExclusiveMaximum:
		return f(at, "must be < %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.MinLength:
		return f(at, "must be at least %d characters, got %d", k.Want, k.Got)
	case *kind.MaxLength:
		return f(at, "must be at most %d characters, got %d", k.Want, k.Got)
	case *kind.Pattern:
		return f(at, "%q does not match %s", k.Got, k.Want)
	}
	return f(at, "%s", e.ErrorKind.LocalizedString(printer))
}

func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString("/" + escape(t))
	}
	return b.String()
}

func escape(token string) string {
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func showAll(vs []any) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = show(v)
	}
	return strings.Join(out, ", ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
