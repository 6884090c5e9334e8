package home

import (
	"errors"
	"testing"
)

// FuzzParseConfig: any config.toml either fails with ErrBadConfig or
// yields a config that passes Validate and renders to a file that parses
// back to the same districts and profile.
func FuzzParseConfig(f *testing.F) {
	for _, p := range Profiles {
		good, err := DefaultConfig("meso-valley/north", p).Render()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(good)
	}
	f.Add([]byte("district = 1\n"))
	f.Add([]byte("[network\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data)
		if err != nil {
			if !errors.Is(err, ErrBadConfig) {
				t.Fatalf("error does not wrap ErrBadConfig: %v", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("parsed config does not validate: %v", err)
		}
		text, err := c.Render()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseConfig(text)
		if err != nil || again.Profile != c.Profile || again.District != c.District {
			t.Fatalf("rendered config does not parse back: %v", err)
		}
	})
}
