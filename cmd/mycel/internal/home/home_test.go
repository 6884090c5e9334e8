package home

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestResolveOrder(t *testing.T) {
	t.Setenv(Env, "/tmp/from-env")
	h, err := Resolve("/tmp/from-flag")
	if err != nil || h.Dir != "/tmp/from-flag" {
		t.Fatalf("flag: %v %v", h, err)
	}
	h, _ = Resolve("")
	if h.Dir != "/tmp/from-env" {
		t.Fatalf("env: %v", h)
	}
	t.Setenv(Env, "")
	t.Setenv("HOME", "/tmp/user")
	h, _ = Resolve("")
	if h.Dir != "/tmp/user/.mycel" {
		t.Fatalf("default: %v", h)
	}
}

func TestConfigRoundTrip(t *testing.T) {
	for _, p := range Profiles {
		c := DefaultConfig("meso-valley/north", p)
		c.Network.Bootstrap = []string{"/ip4/127.0.0.1/tcp/4811/p2p/12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf"}
		c.Follow = []string{"meso-valley/south", "meso-valley/north"}
		c.Pins = map[string]string{"meso-valley/north": "bafyreia22mply3e5qfz6zqv6ii5qa2lrbl6bpbkmfldbo6yfwz2tg5d4ke"}
		text, err := c.Render()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(text), "# ") {
			t.Fatal("config has no comments")
		}
		got, err := ParseConfig(text)
		if err != nil {
			t.Fatalf("%s: %v\n%s", p, err, text)
		}
		if got.District != c.District || got.Profile != p || len(got.Network.Listen) != len(c.Network.Listen) ||
			got.Network.MDNS != c.Network.MDNS || got.Network.Bootstrap[0] != c.Network.Bootstrap[0] || got.API != c.API ||
			!slices.Equal(got.Districts(), []string{"meso-valley/north", "meso-valley/south"}) ||
			got.Pins["meso-valley/north"] != c.Pins["meso-valley/north"] {
			t.Fatalf("%s: round trip %+v != %+v", p, got, c)
		}
	}
}

func TestConfigRejects(t *testing.T) {
	good, _ := DefaultConfig("d", Laptop).Render()
	cases := map[string]struct{ old, new, want string }{
		"unknown key":  {"mdns = true", "mdns = true\nmdsn = false", "unknown key network.mdsn"},
		"bad profile":  {`profile = "laptop"`, `profile = "desktop"`, `profile "desktop"`},
		"bad district": {`district = "d"`, `district = "Big Valley"`, `district "Big Valley"`},
		"bad follow":   {`follow = []`, `follow = ["south", "Big Valley"]`, `follow: district "Big Valley"`},
		"bad pin CID":  {`[pins]`, "[pins]\n\"d\" = \"not-a-cid\"", `pins: "not-a-cid" for d is not a CID`},
		"bad pin name": {`[pins]`, "[pins]\n\"Big\" = \"bafyreia22mply3e5qfz6zqv6ii5qa2lrbl6bpbkmfldbo6yfwz2tg5d4ke\"", `pins: district "Big"`},
		"bad addr":     {`listen = [`, `listen = ["nope", `, `network.listen: "nope"`},
		"syntax":       {`[api]`, `[api`, "bad config"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseConfig([]byte(strings.Replace(string(good), c.old, c.new, 1)))
			if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestCreateAllOrNothing(t *testing.T) {
	h := Home{Dir: filepath.Join(t.TempDir(), "home")}
	boom := errors.New("boom")
	err := Create(h, DefaultConfig("", Laptop), func(tmp Home) error {
		os.WriteFile(tmp.Vault(), []byte("x"), 0o600)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(filepath.Dir(h.Dir)); len(left) != 0 {
		t.Fatalf("failed create left %v", left)
	}
	if err := Create(h, DefaultConfig("", Laptop), nil); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(h.Token()); st.Mode().Perm() != 0o600 {
		t.Fatalf("token mode %v", st.Mode())
	}
	if err := h.Check(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(h.Token())
	if err := Create(h, DefaultConfig("", Laptop), nil); !errors.Is(err, ErrExists) {
		t.Fatalf("second create: %v", err)
	}
	after, _ := os.ReadFile(h.Token())
	if string(before) != string(after) {
		t.Fatal("second create changed the token")
	}
}

func TestCreateIntoEmptyDir(t *testing.T) {
	h := Home{Dir: t.TempDir()}
	if err := Create(h, DefaultConfig("", Offline), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadToken(h.Token()); err != nil {
		t.Fatal(err)
	}
}

func TestLockExclusive(t *testing.T) {
	p := filepath.Join(t.TempDir(), "lock")
	a, err := Acquire(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(p); !errors.Is(err, ErrLocked) {
		t.Fatalf("second acquire: %v", err)
	}
	a.Release()
	a.Release()
	b, err := Acquire(p)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	b.Release()
}

func TestAPIAddrFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "api")
	if _, err := ReadAPIAddr(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	WriteAPIAddr(p, "127.0.0.1:1234")
	if a, _ := ReadAPIAddr(p); a != "127.0.0.1:1234" {
		t.Fatal(a)
	}
}
