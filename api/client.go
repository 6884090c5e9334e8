package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

// evidenceType is the media type of an evidence upload.
const evidenceType = "application/octet-stream"

// Client implements Service against a daemon's API.
type Client struct {
	base  string
	token string
	http  *http.Client
}

var _ Service = (*Client)(nil)

// AnswerTimeout bounds the wait for a daemon to start answering a request
// once it is sent: a daemon that accepts a connection but never answers
// cannot hang the CLI. Streams already answering (bundle export) run on.
const AnswerTimeout = 2 * time.Minute

// NewClient returns a client for the API at addr (host:port) using token.
func NewClient(addr, token string) *Client { return newClient(addr, token, AnswerTimeout) }

// continueTimeout bounds how long an upload waits for the daemon to
// take its body (100 Continue) before sending it anyway: longer than the
// daemon waits for upload budget, so a busy answer comes first.
const continueTimeout = time.Minute

func newClient(addr, token string, answer time.Duration) *Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = answer
	t.ExpectContinueTimeout = continueTimeout
	return &Client{base: "http://" + addr, token: token, http: &http.Client{Transport: t}}
}

// Ping asks the daemon who it is; an error means no usable daemon.
func (c *Client) Ping(ctx context.Context) (Ping, error) {
	var v Ping
	return v, c.do(ctx, http.MethodGet, "/v1/ping", nil, "", &v)
}

// do sends a request and decodes a JSON answer into out, or returns the
// server's error mapped back onto this package's sentinels.
func (c *Client) do(ctx context.Context, method, path string, body io.Reader, ctype string, out any) error {
	resp, err := c.send(ctx, method, path, body, ctype)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("api %s: bad answer: %w", path, err)
	}
	return nil
}

// doHeader is do for a GET whose answer's headers matter (a page's
// NextHeader); the headers are nil on an error.
func (c *Client) doHeader(ctx context.Context, method, path string, out any) (http.Header, error) {
	resp, err := c.send(ctx, method, path, nil, "")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return nil, fmt.Errorf("api %s: bad answer: %w", path, err)
	}
	return resp.Header, nil
}

func (c *Client) send(ctx context.Context, method, path string, body io.Reader, ctype string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("api %s: %w", path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if ctype == CARType || ctype == evidenceType {
		req.Header.Set("Expect", "100-continue") // a large body is sent once the daemon takes it
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("api %s: %w", path, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	var e Error
	if json.NewDecoder(resp.Body).Decode(&e) != nil || e.Message == "" {
		return nil, fmt.Errorf("api %s: %s", path, resp.Status)
	}
	return nil, e.Err()
}

func (c *Client) postJSON(ctx context.Context, path string, in, out any) error {
	data, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodPost, path, bytes.NewReader(data), "application/json", out)
}

func (c *Client) Identity(ctx context.Context) (v Identity, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/id", nil, "", &v)
}

func (c *Client) Status(ctx context.Context) (v Status, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/status", nil, "", &v)
}

func (c *Client) Connect(ctx context.Context, addr string) (v Peer, err error) {
	return v, c.postJSON(ctx, "/v1/connect", ConnectRequest{Addr: addr}, &v)
}

func (c *Client) AddEvidence(ctx context.Context, content []byte, label string) (v Evidence, err error) {
	path := "/v1/evidence?label=" + url.QueryEscape(label)
	return v, c.do(ctx, http.MethodPost, path, bytes.NewReader(content), evidenceType, &v)
}

func (c *Client) Evidence(ctx context.Context) (v []Evidence, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/evidence", nil, "", &v)
}

func (c *Client) Publish(ctx context.Context, req PublishRequest) (v Published, err error) {
	return v, c.postJSON(ctx, "/v1/proofs", req, &v)
}

func (c *Client) Proofs(ctx context.Context, q ProofQuery) (p ProofPage, err error) {
	p.Next, err = c.page(ctx, "/v1/proofs", map[string]string{"mip": q.MIP, "district": q.District, "author": q.Author}, q.After, q.Limit, &p.Proofs)
	return p, err
}

func (c *Client) Log(ctx context.Context, q LogQuery) (p LogPage, err error) {
	p.Next, err = c.page(ctx, "/v1/log", map[string]string{"author": q.Author}, q.After, q.Limit, &p.Entries)
	return p, err
}

// page GETs one page of a listing at path with the query's non-empty
// parameters, decodes its rows into rows and returns its next cursor.
func (c *Client) page(ctx context.Context, path string, params map[string]string, after string, limit int, rows any) (string, error) {
	vals := url.Values{}
	for k, s := range params {
		if s != "" {
			vals.Set(k, s)
		}
	}
	if after != "" {
		vals.Set("after", after)
	}
	if limit != 0 {
		vals.Set("limit", strconv.Itoa(limit))
	}
	h, err := c.doHeader(ctx, http.MethodGet, path+"?"+vals.Encode(), rows)
	return h.Get(NextHeader), err
}

func (c *Client) Block(ctx context.Context, id cid.Cid) ([]byte, error) {
	resp, err := c.send(ctx, http.MethodGet, "/v1/blocks/"+id.String(), nil, "")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, protocol.MaxEntrySize+1))
}

func (c *Client) MIPs(ctx context.Context) (v []MIPSummary, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/mips", nil, "", &v)
}

func (c *Client) MIP(ctx context.Context, ref string) (v MIPDoc, err error) {
	return v, c.do(ctx, http.MethodGet, "/v1/mips/"+url.PathEscape(ref), nil, "", &v)
}
