package protocol

// Outcome is the three-way judgement of an entry, as gossipsub validators
// use it.
type Outcome int

const (
	// Accept: the entry is valid and new; store it and pass it on.
	Accept Outcome = iota
	// Reject: the entry is provably bad; drop it and penalise the sender.
	Reject
	// Ignore: the entry cannot be judged or is not needed (already held,
	// unknown MIP, gap before it); drop it without penalty.
	Ignore
)

func (o Outcome) String() string {
	return [...]string{"accept", "reject", "ignore"}[o]
}

// Verdict is an Outcome with its reason; Reason is nil only for Accept.
type Verdict struct {
	Outcome Outcome
	Reason  error
}

// Accepted is the Verdict for a good entry.
var Accepted = Verdict{Outcome: Accept}

// Rejected returns a Reject verdict for err.
func Rejected(err error) Verdict { return Verdict{Outcome: Reject, Reason: err} }

// Ignored returns an Ignore verdict for err.
func Ignored(err error) Verdict { return Verdict{Outcome: Ignore, Reason: err} }
