package api

import (
	"context"
	"net/http"
	"time"
)

// DoctorFacts is the answer of GET /v1/doctor: what the running daemon
// knows for `mycel doctor` (docs/CLI.md). The vault's page check runs on
// each request.
type DoctorFacts struct {
	Listen       []string   `json:"listen"`       // full multiaddrs the node listens on
	MDNS         bool       `json:"mdns"`         // mDNS discovery on
	PortMap      bool       `json:"port_map"`     // UPnP/NAT-PMP asked for
	Offline      bool       `json:"offline"`      // --offline: no network
	Reachability string     `json:"reachability"` // a Reach* word
	Relays       int        `json:"relays"`       // relays configured
	Reserved     []string   `json:"reserved"`     // relays reserved on
	DHTPeers     int        `json:"dht_peers"`    // routing table size; -1 without a DHT
	Peers        int        `json:"peers"`
	ClockSkewMS  []int64    `json:"clock_skew_ms"` // one per connected peer that has one
	Vault        VaultFacts `json:"vault"`
}

// VaultFacts describes the vault for `mycel doctor`.
type VaultFacts struct {
	PageError    string     `json:"page_error,omitempty"` // the page check's failure, one line
	Checked      bool       `json:"checked"`
	KeyEncrypted bool       `json:"key_encrypted"`
	Restored     bool       `json:"restored"`
	Backup       *time.Time `json:"backup,omitempty"`
	KeyExport    *time.Time `json:"key_export,omitempty"`
	PinError     string     `json:"pin_error,omitempty"`
}

// SetDoctor makes GET /v1/doctor answer with fn's facts; without it the
// route answers not found.
func (s *Server) SetDoctor(fn func(ctx context.Context) (DoctorFacts, error)) { s.doctor = fn }

func (s *Server) doctorFacts(w http.ResponseWriter, r *http.Request) {
	if s.doctor == nil {
		writeError(w, notFound("this daemon gathers no doctor facts"))
		return
	}
	v, err := s.doctor(r.Context())
	reply(w, v, err)
}

// Doctor asks the daemon for its doctor facts.
func (c *Client) Doctor(ctx context.Context) (v DoctorFacts, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/doctor", nil, "", &v)
}
