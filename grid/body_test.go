package grid

import (
	"errors"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

func goodOffer() *Offer {
	return &Offer{Runtime: Runtime, MemoryMiB: 256, MaxSeconds: 30, Price: 5, Unit: "credit", Districts: []string{"meso", "meso/north"}}
}

func goodJob() *Job {
	return &Job{
		Module: protocol.LinkTo(BytesCID([]byte("m"))), Input: protocol.LinkTo(BytesCID(nil)), Args: []string{"-n", "3"},
		MemoryMiB: 64, MaxSeconds: 10, Replicas: 3, MaxPrice: 9, Unit: "credit", District: "meso",
	}
}

func goodResult() *Result {
	return &Result{
		Job: protocol.LinkTo(protocol.Sum([]byte("job"))), Output: protocol.LinkTo(BytesCID([]byte("out"))),
		OutputSize: 3, DurationMS: 40, Fuel: 1000,
	}
}

func TestBodyCheck(t *testing.T) {
	entryLink := protocol.LinkTo(protocol.Sum([]byte("x")))
	long := strings.Repeat("a", MaxArg+1)
	cases := []struct {
		name string
		body protocol.Body
		want string // in the error; "" for valid
	}{
		{"offer", goodOffer(), ""},
		{"offer withdrawn", &Offer{Withdrawn: true}, ""},
		{"offer withdrawn with terms", &Offer{Withdrawn: true, Price: 1}, "withdrawn offer carries terms"},
		{"offer runtime", with(goodOffer(), func(o *Offer) { o.Runtime = "wasm/wasip2" }), "runtime"},
		{"offer memory 0", with(goodOffer(), func(o *Offer) { o.MemoryMiB = 0 }), "memory 0 MiB"},
		{"offer memory cap", with(goodOffer(), func(o *Offer) { o.MemoryMiB = MaxMemoryMiB + 1 }), "memory"},
		{"offer seconds", with(goodOffer(), func(o *Offer) { o.MaxSeconds = MaxSeconds + 1 }), "seconds"},
		{"offer price", with(goodOffer(), func(o *Offer) { o.Price = settle.MaxAmount + 1 }), "price"},
		{"offer free", with(goodOffer(), func(o *Offer) { o.Price = 0 }), ""},
		{"offer unit", with(goodOffer(), func(o *Offer) { o.Unit = "1x" }), "unit"},
		{"offer district", with(goodOffer(), func(o *Offer) { o.Districts = []string{"Meso"} }), "district \"Meso\""},
		{"offer district twice", with(goodOffer(), func(o *Offer) { o.Districts = []string{"a", "a"} }), "twice"},
		{"offer districts", with(goodOffer(), func(o *Offer) { o.Districts = make([]string, MaxDistricts+1) }), "districts has"},
		{"offer expires", with(goodOffer(), func(o *Offer) { o.Expires = -1 }), "expires"},
		{"job", goodJob(), ""},
		{"job module missing", with(goodJob(), func(j *Job) { j.Module = protocol.Link{} }), "module is missing"},
		{"job module codec", with(goodJob(), func(j *Job) { j.Module = entryLink }), "module"},
		{"job input codec", with(goodJob(), func(j *Job) { j.Input = entryLink }), "input"},
		{"job args", with(goodJob(), func(j *Job) { j.Args = make([]string, MaxArgs+1) }), "args has"},
		{"job arg long", with(goodJob(), func(j *Job) { j.Args = []string{long} }), "argument 0"},
		{"job arg utf8", with(goodJob(), func(j *Job) { j.Args = []string{"\xff"} }), "argument 0"},
		{"job replicas 0", with(goodJob(), func(j *Job) { j.Replicas = 0 }), "replicas 0"},
		{"job replicas 8", with(goodJob(), func(j *Job) { j.Replicas = MaxReplicas + 1 }), "replicas 8"},
		{"job price", with(goodJob(), func(j *Job) { j.MaxPrice = settle.MaxAmount + 1 }), "price"},
		{"job unit", with(goodJob(), func(j *Job) { j.Unit = "" }), "unit"},
		{"job district", with(goodJob(), func(j *Job) { j.District = "/x" }), "district"},
		{"job memory", with(goodJob(), func(j *Job) { j.MemoryMiB = 0 }), "memory"},
		{"result", goodResult(), ""},
		{"result job raw", with(goodResult(), func(r *Result) { r.Job = protocol.LinkTo(BytesCID(nil)) }), "job"},
		{"result job missing", with(goodResult(), func(r *Result) { r.Job = protocol.Link{} }), "job is missing"},
		{"result output entry", with(goodResult(), func(r *Result) { r.Output = entryLink }), "output"},
		{"result size", with(goodResult(), func(r *Result) { r.OutputSize = MaxOutput + 1 }), "size"},
		{"result duration", with(goodResult(), func(r *Result) { r.DurationMS = MaxSeconds*1000 + 1 }), "duration"},
		{"result error", with(goodResult(), func(r *Result) { r.Error = ErrorTimeout }), ""},
		{"result error long", with(goodResult(), func(r *Result) { r.Error = strings.Repeat("x", MaxError+1) }), "error is"},
		{"result error control", with(goodResult(), func(r *Result) { r.Error = "a\nb" }), "printable"},
	}
	for _, c := range cases {
		err := c.body.Check()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, protocol.ErrBadBody)):
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		case err != nil && strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: error spans lines", c.name)
		}
	}
}

func with[T any](v *T, fn func(*T)) *T { fn(v); return v }

// TestBodyRoundTrip: each body encodes canonically and decodes through
// the registered kinds to the same body; another CID codec is refused.
func TestBodyRoundTrip(t *testing.T) {
	for kind, body := range map[string]protocol.Body{KindOffer: goodOffer(), KindJob: goodJob(), KindResult: goodResult()} {
		data, err := protocol.EncodeBody(body)
		if err != nil {
			t.Fatal(err)
		}
		got, err := kinds.Decode(protocol.Entry{Kind: kind, Body: data})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		again, _ := protocol.Marshal(got)
		if string(again) != string(data) {
			t.Fatalf("%s: decoded body encodes differently", kind)
		}
	}
	if c := BytesCID([]byte("x")); c.Prefix().Codec != cid.Raw || !c.Equals(BytesCID([]byte("x"))) {
		t.Fatal("BytesCID is not a stable raw CID")
	}
}

// TestBodyStrict: a body missing a field or with an extra one does not
// decode.
func TestBodyStrict(t *testing.T) {
	for _, body := range []map[string]any{
		{"runtime": Runtime, "memory": 1, "seconds": 1, "price": 0, "unit": "u", "districts": []string{}, "expires": 0},
		{"runtime": Runtime, "memory": 1, "seconds": 1, "price": 0, "unit": "u", "districts": []string{}, "expires": 0, "withdrawn": false, "x": 1},
	} {
		data, err := protocol.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := kinds.Decode(protocol.Entry{Kind: KindOffer, Body: data}); err == nil {
			t.Fatalf("offer body %v decoded", body)
		}
	}
}
