package arena

import (
	"regexp"
	"strings"

	"github.com/mesocosm/mycel/settle"
)

var domainPattern = regexp.MustCompile(`^MIP-[A-Z0-9]{2,16}(@[1-9][0-9]{0,5})?$`)

// Problem is the body of a "problem" entry: its author (the poster) asks
// for a solution of Title in Domain, a MIP id ("MIP-AGR") or ref
// ("MIP-AGR@1"), judged by Criteria, for Bounty of Unit (0: no bounty,
// and Unit empty), until Deadline (unix ms; 0: none). The problem belongs
// to its entry's district.
type Problem struct {
	Domain      string `cbor:"domain"`
	Title       string `cbor:"title"`       // 1..MaxTitle bytes
	Description string `cbor:"description"` // at most MaxDescription bytes
	Criteria    string `cbor:"criteria"`    // at most MaxCriteria bytes
	Bounty      uint64 `cbor:"bounty"`      // integer minor units, 0..settle.MaxAmount
	Unit        string `cbor:"unit"`
	Deadline    int64  `cbor:"deadline"` // unix ms, 0 none
}

// Check validates the problem's shape.
func (p *Problem) Check() error {
	if !domainPattern.MatchString(p.Domain) {
		return badBody("domain %q is not a MIP id or ref (MIP-XXX or MIP-XXX@N)", p.Domain)
	}
	if p.Title == "" {
		return badBody("title is empty")
	}
	if err := checkText("title", p.Title, MaxTitle); err != nil {
		return err
	}
	if err := checkText("description", p.Description, MaxDescription); err != nil {
		return err
	}
	if err := checkText("criteria", p.Criteria, MaxCriteria); err != nil {
		return err
	}
	if p.Bounty > settle.MaxAmount {
		return badBody("bounty %d above %d", p.Bounty, uint64(settle.MaxAmount))
	}
	if p.Bounty > 0 && !settle.ValidUnit(p.Unit) {
		return badBody("unit %q is not a unit name", p.Unit)
	}
	if p.Bounty == 0 && p.Unit != "" {
		return badBody("unit %q without a bounty; leave it empty", p.Unit)
	}
	if p.Deadline < 0 {
		return badBody("deadline %d is negative", p.Deadline)
	}
	return nil
}

// DomainID returns the MIP id of the domain, without a version.
func (p *Problem) DomainID() string { return DomainID(p.Domain) }

// DomainID returns the MIP id of a domain or MIP ref: "MIP-AGR" of
// "MIP-AGR@1".
func DomainID(d string) string {
	id, _, _ := strings.Cut(d, "@")
	return id
}

// Passed reports whether the deadline has passed at now (unix ms).
func (p *Problem) Passed(now int64) bool { return p.Deadline != 0 && now >= p.Deadline }
