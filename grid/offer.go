package grid

import (
	"slices"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Offer is the body of an "offer" entry: its author (a provider) runs
// jobs of Runtime within MemoryMiB and MaxSeconds, for Price of Unit per
// job, for the Districts listed (every district when empty), until
// Expires. A provider's offer entry with the highest seq replaces its
// earlier ones; one with Withdrawn set ends its offer and carries no
// terms (every other field zero).
type Offer struct {
	Runtime    string   `cbor:"runtime"`
	MemoryMiB  uint32   `cbor:"memory"`  // 1..MaxMemoryMiB
	MaxSeconds uint32   `cbor:"seconds"` // 1..MaxSeconds
	Price      uint64   `cbor:"price"`   // per job, integer minor units, 0..settle.MaxAmount
	Unit       string   `cbor:"unit"`
	Districts  []string `cbor:"districts"` // at most MaxDistricts, distinct
	Expires    int64    `cbor:"expires"`   // unix ms; 0 never
	Withdrawn  bool     `cbor:"withdrawn"`
}

// Check validates the offer's shape.
func (o *Offer) Check() error {
	if o.Withdrawn {
		if o.Runtime != "" || o.MemoryMiB != 0 || o.MaxSeconds != 0 || o.Price != 0 || o.Unit != "" ||
			len(o.Districts) != 0 || o.Expires != 0 {
			return badBody("withdrawn offer carries terms; leave every other field empty")
		}
		return nil
	}
	if o.Runtime != Runtime {
		return badBody("runtime %q is not %q", o.Runtime, Runtime)
	}
	if err := checkCaps(o.MemoryMiB, o.MaxSeconds); err != nil {
		return err
	}
	if err := checkPrice("price", o.Price, o.Unit); err != nil {
		return err
	}
	if len(o.Districts) > MaxDistricts {
		return badBody("districts has %d names, limit %d", len(o.Districts), MaxDistricts)
	}
	for i, d := range o.Districts {
		if !protocol.ValidDistrict(d) {
			return badBody("district %q is not a lowercase path", d)
		}
		if slices.Contains(o.Districts[:i], d) {
			return badBody("district %q is listed twice", d)
		}
	}
	if o.Expires < 0 {
		return badBody("expires %d is negative", o.Expires)
	}
	return nil
}

// Live reports whether the offer stands at now (unix ms): not withdrawn
// and not expired.
func (o *Offer) Live(now int64) bool {
	return !o.Withdrawn && (o.Expires == 0 || now < o.Expires)
}

// Serves reports whether the offer takes jobs of district d.
func (o *Offer) Serves(d string) bool {
	return !o.Withdrawn && (len(o.Districts) == 0 || slices.Contains(o.Districts, d))
}

// Fits reports whether the offer takes job j: runtime, caps, district,
// unit and price within the job's maximum.
func (o *Offer) Fits(j *Job) bool {
	return o.Serves(j.District) && o.MemoryMiB >= j.MemoryMiB && o.MaxSeconds >= j.MaxSeconds &&
		o.Unit == j.Unit && o.Price <= j.MaxPrice
}

func checkCaps(memory, seconds uint32) error {
	if memory == 0 || memory > MaxMemoryMiB {
		return badBody("memory %d MiB outside 1..%d", memory, MaxMemoryMiB)
	}
	if seconds == 0 || seconds > MaxSeconds {
		return badBody("seconds %d outside 1..%d", seconds, MaxSeconds)
	}
	return nil
}

func checkPrice(field string, price uint64, unit string) error {
	if price > settle.MaxAmount {
		return badBody("%s %d above %d", field, price, uint64(settle.MaxAmount))
	}
	if !settle.ValidUnit(unit) {
		return badBody("unit %q is not a unit name", unit)
	}
	return nil
}
