package home

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/ipfs/go-cid"
	"net"
	"os"
	"slices"
	"strings"
	"text/template"

	ma "github.com/multiformats/go-multiaddr"
	toml "github.com/pelletier/go-toml/v2"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Profiles a home can be initialised with.
const (
	Laptop  = "laptop"  // gentle defaults, NAT traversal, mDNS on
	Server  = "server"  // always on: DHT server, relay for others
	Offline = "offline" // LAN only: mDNS, no bootstrap, relays or port mapping
)

// Profiles lists the valid profile names.
var Profiles = []string{Laptop, Server, Offline}

// Default ports of a new home.
const (
	DefaultPort    = 4811
	DefaultAPIAddr = "127.0.0.1:5811"
)

// ErrBadConfig wraps every config validation failure.
var ErrBadConfig = errors.New("bad config")

// Config is the content of config.toml.
type Config struct {
	District string   `toml:"district"`
	Follow   []string `toml:"follow"`
	Profile  string   `toml:"profile"`
	Network  Network  `toml:"network"`
	API      API      `toml:"api"`
	Log      Log      `toml:"log"`
	// Pins fixes district geneses by CID: district name -> CID of the
	// district entry the district agreed on.
	Pins map[string]string `toml:"pins"`
}

// Network holds the mesh settings.
type Network struct {
	Listen    []string `toml:"listen"`
	Bootstrap []string `toml:"bootstrap"`
	Relays    []string `toml:"relays"`
	MDNS      bool     `toml:"mdns"`
	// PrivateProviders dials peers that DHT records name at private, LAN
	// or loopback addresses; off, only public addresses are dialled.
	PrivateProviders bool `toml:"private_providers"`
}

// API holds the local API settings.
type API struct {
	Address string `toml:"address"`
}

// Districts lists the districts the peer follows: its own, then Follow.
func (c Config) Districts() []string {
	out := []string{c.District}
	for _, d := range c.Follow {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// DefaultConfig returns the config of a new home with the given district
// and profile.
func DefaultConfig(district, profile string) Config {
	c := Config{District: district, Profile: profile, API: API{Address: DefaultAPIAddr}}
	c.Network.Listen = []string{
		fmt.Sprintf("/ip4/0.0.0.0/tcp/%d", DefaultPort),
		fmt.Sprintf("/ip4/0.0.0.0/udp/%d/quic-v1", DefaultPort),
	}
	c.Network.MDNS = true
	c.Network.PrivateProviders = profile == Offline
	return c
}

// Validate checks every field and names the first bad one.
func (c Config) Validate() error {
	if !protocol.ValidDistrict(c.District) {
		return fmt.Errorf("%w: district %q is not a lowercase path like meso-valley/north", ErrBadConfig, c.District)
	}
	for _, d := range c.Follow {
		if !protocol.ValidDistrict(d) {
			return fmt.Errorf("%w: follow: district %q is not a lowercase path like meso-valley/south", ErrBadConfig, d)
		}
	}
	if !slices.Contains(Profiles, c.Profile) {
		return fmt.Errorf("%w: profile %q, want one of %s", ErrBadConfig, c.Profile, strings.Join(Profiles, ", "))
	}
	for _, list := range []struct {
		name  string
		addrs []string
	}{{"network.listen", c.Network.Listen}, {"network.bootstrap", c.Network.Bootstrap}, {"network.relays", c.Network.Relays}} {
		for _, a := range list.addrs {
			if _, err := ma.NewMultiaddr(a); err != nil {
				return fmt.Errorf("%w: %s: %q is not a multiaddr", ErrBadConfig, list.name, a)
			}
		}
	}
	if c.API.Address == "" {
		return fmt.Errorf("%w: api.address is empty", ErrBadConfig)
	}
	if err := loopback(c.API.Address); err != nil {
		return fmt.Errorf("%w: api.address %q %v", ErrBadConfig, c.API.Address, err)
	}
	if err := c.Log.validate(); err != nil {
		return err
	}
	_, err := c.SettlePins()
	return err
}

// SettlePins returns the pinned district geneses; nil when none are set.
func (c Config) SettlePins() (settle.Pins, error) {
	if len(c.Pins) == 0 {
		return nil, nil
	}
	pins := settle.Pins{}
	for d, s := range c.Pins {
		if !protocol.ValidDistrict(d) || d == "" {
			return nil, fmt.Errorf("%w: pins: district %q is not a lowercase path like meso-valley/north", ErrBadConfig, d)
		}
		id, err := cid.Decode(s)
		if err != nil {
			return nil, fmt.Errorf("%w: pins: %q for %s is not a CID", ErrBadConfig, s, d)
		}
		pins[d] = id
	}
	return pins, nil
}

// LoadConfig reads and validates a config file. Unknown keys are errors.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	c, err := ParseConfig(data)
	if err != nil {
		return c, located(path, data, err)
	}
	return c, nil
}

// ParseConfig parses and validates config.toml content.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			return Config{}, &keptErr{msg: fmt.Sprintf("%v: unknown key %s", ErrBadConfig, strings.Join(strict.Errors[0].Key(), ".")), errs: []error{ErrBadConfig, strict}}
		}
		return Config{}, fmt.Errorf("%w: %w", ErrBadConfig, err)
	}
	return c, c.Validate()
}

// Render writes the config as commented TOML.
func (c Config) Render() ([]byte, error) {
	var b bytes.Buffer
	err := configTemplate.Execute(&b, c)
	return b.Bytes(), err
}

var configTemplate = template.Must(template.New("config").Funcs(template.FuncMap{
	"list": tomlList,
}).Parse(`# Mycel peer configuration, written by "mycel init".
# Command-line flags of "mycel daemon" override these values for one run.

# The district this peer publishes into by default ("" is the global scope).
district = "{{.District}}"
# Other districts this peer follows: it hears their gossip and carries their
# entries, as a laptop that travels between villages does.
follow = {{list .Follow}}

# laptop: gentle defaults, NAT traversal through relays and hole punching.
# server: always on, serves the DHT and relays for peers behind NAT.
# offline: LAN only: peers found by mDNS, no bootstrap, relays or port
#   mapping; entries reach other places by bundles (mycel bundle) or a
#   travelling laptop. "mycel daemon --offline" runs with no network at all.
profile = "{{.Profile}}"

[network]
# Multiaddrs to listen on; /tcp/0 picks a free port.
listen = {{list .Network.Listen}}
# Peers to dial at start, as full multiaddrs ending in /p2p/<peer id>.
bootstrap = {{list .Network.Bootstrap}}
# Circuit relays to use when this peer is not reachable directly.
relays = {{list .Network.Relays}}
# Find peers on the local network with mDNS.
mdns = {{.Network.MDNS}}
# Dial peers that the DHT names at private or LAN addresses (192.168.x.x,
# 10.x.x.x, ...). Off, only public addresses from DHT records are dialled,
# so a hostile record cannot point this peer at the machines around it.
# On for a village network that finds its peers through the DHT.
private_providers = {{.Network.PrivateProviders}}

[api]
# The local API, loopback only; the CLI finds it through the "api" file.
address = "{{.API.Address}}"

[log]
# What "mycel daemon" writes to stderr: level debug | info | warn | error,
# format text | json. --log-level and --log-format override them.
level = "{{or .Log.Level "info"}}"
format = "{{or .Log.Format "text"}}"

[pins]
# District geneses pinned by CID: the district entry (stewards, verifiers,
# credit limits) your district agreed on, as "name" = "bafy...". Without a
# pin a district's genesis is its earliest district entry, which anyone
# could forge by backdating; peers that pin the same CIDs compute the same
# views.
{{range $d, $c := .Pins}}{{printf "%q" $d}} = {{printf "%q" $c}}
{{end}}`))

func tomlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// loopback checks that addr is host:port on a loopback host, as the
// daemon requires of its API: it must not be reachable from the network.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("is not host:port")
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("is not loopback: use 127.0.0.1:PORT")
	}
	return nil
}
