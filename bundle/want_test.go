package bundle_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/bundle"
)

func TestWantRoundTrip(t *testing.T) {
	v := newVault(t)
	as := authors(t, 2)
	write(t, as[0], 3, "", v)
	write(t, as[1], 1, "", v)
	w := wantOf(t, v)
	var buf bytes.Buffer
	if err := w.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := bundle.ReadWant(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Heads) != 2 || got.Heads[0] != w.Heads[0] || got.Heads[1] != w.Heads[1] {
		t.Fatalf("round trip = %+v, want %+v", got, w)
	}
	if got.Heads[0].Author != as[0].ID.String() || got.Heads[0].Seq != 3 {
		t.Errorf("head 0 = %+v", got.Heads[0])
	}
}

func TestReadWantBad(t *testing.T) {
	id := authors(t, 1)[0].ID.String()
	d := strings.Repeat("ab", 32)
	for name, in := range map[string]string{
		"not json":      "hello",
		"version 2":     `{"version":2,"heads":[]}`,
		"no version":    `{"heads":[]}`,
		"unknown field": `{"version":1,"heads":[],"extra":1}`,
		"bad author":    `{"version":1,"heads":[{"author":"nobody","seq":1,"digest":"` + d + `"}]}`,
		"short digest":  `{"version":1,"heads":[{"author":"` + id + `","seq":1,"digest":"abcd"}]}`,
		"hex digest":    `{"version":1,"heads":[{"author":"` + id + `","seq":1,"digest":"` + strings.Repeat("zz", 32) + `"}]}`,
		"twice":         `{"version":1,"heads":[{"author":"` + id + `","seq":1,"digest":"` + d + `"},{"author":"` + id + `","seq":2,"digest":"` + d + `"}]}`,
		"trailing data": `{"version":1,"heads":[]} {}`,
		"negative seq":  `{"version":1,"heads":[{"author":"` + id + `","seq":-1,"digest":"` + d + `"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := bundle.ReadWant(strings.NewReader(in)); !errors.Is(err, bundle.ErrBadWant) {
				t.Fatalf("err = %v, want ErrBadWant", err)
			}
		})
	}
}
