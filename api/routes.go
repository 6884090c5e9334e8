package api

import (
	"io"
	"net/http"
)

func (s *Server) ping(w http.ResponseWriter, r *http.Request) {
	id, err := s.svc.Identity(r.Context())
	reply(w, Ping{Version: s.version, PeerID: id.PeerID}, err)
}

func (s *Server) identity(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.Identity(r.Context())
	reply(w, v, err)
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.Status(r.Context())
	reply(w, v, err)
}

// ConnectRequest is the body of POST /v1/connect.
type ConnectRequest struct {
	Addr string `json:"addr"`
}

func (s *Server) connect(w http.ResponseWriter, r *http.Request) {
	var req ConnectRequest
	if err := readJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	v, err := s.svc.Connect(r.Context(), req.Addr)
	reply(w, v, err)
}

func (s *Server) addEvidence(w http.ResponseWriter, r *http.Request) {
	content, err := readEvidence(r)
	if err != nil {
		writeError(w, err)
		return
	}
	v, err := s.svc.AddEvidence(r.Context(), content, r.URL.Query().Get("label"))
	reply(w, v, err)
}

func (s *Server) listEvidence(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.Evidence(r.Context())
	reply(w, v, err)
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request) {
	var req PublishRequest
	if err := readJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	v, err := s.svc.Publish(r.Context(), req)
	reply(w, v, err)
}

func (s *Server) proofs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := limitParam(q.Get("limit"))
	if err != nil {
		writeError(w, err)
		return
	}
	v, err := s.svc.Proofs(r.Context(), ProofQuery{
		MIP: q.Get("mip"), District: q.Get("district"), Author: q.Get("author"),
		Limit: limit, After: q.Get("after"),
	})
	if v.Next != "" {
		w.Header().Set(NextHeader, v.Next)
	}
	reply(w, v.Proofs, err)
}

func (s *Server) log(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := limitParam(q.Get("limit"))
	if err != nil {
		writeError(w, err)
		return
	}
	v, err := s.svc.Log(r.Context(), LogQuery{Author: q.Get("author"), Limit: limit, After: q.Get("after")})
	if v.Next != "" {
		w.Header().Set(NextHeader, v.Next)
	}
	reply(w, v.Entries, err)
}

func (s *Server) block(w http.ResponseWriter, r *http.Request) {
	c, err := ParseCID(r.PathValue("cid"))
	if err != nil {
		writeError(w, err)
		return
	}
	data, err := s.svc.Block(r.Context(), c)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.ipld.dag-cbor")
	writeBy(w)
	w.Write(data)
}

func (s *Server) mips(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.MIPs(r.Context())
	reply(w, v, err)
}

func (s *Server) mip(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.MIP(r.Context(), r.PathValue("ref"))
	reply(w, v, err)
}

// readEvidence reads an evidence body, whose bytes the upload budget has
// reserved: one buffer of the declared length, or one that grows up to
// MaxEvidenceSize+1 when none is declared.
func readEvidence(r *http.Request) ([]byte, error) {
	if r.ContentLength < 0 {
		content, err := io.ReadAll(io.LimitReader(r.Body, MaxEvidenceSize+1))
		if err != nil {
			return nil, badInput("evidence body: %v", err)
		}
		return content, nil
	}
	content := make([]byte, r.ContentLength)
	if _, err := io.ReadFull(r.Body, content); err != nil {
		return nil, badInput("evidence body: %v", err)
	}
	return content, nil
}
