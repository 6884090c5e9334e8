package settle

import "github.com/mesocosm/mycel/protocol"

// Kind names this package defines beside protocol.KindReceipt,
// protocol.KindPledge and protocol.KindFraud.
const (
	KindDistrict = "district"
	KindRole     = "role"
)

// Register adds the settlement kinds to k: receipt, pledge, withdraw,
// district, role and fraud.
func Register(k protocol.Kinds) {
	k.Register(protocol.KindReceipt, func() protocol.Body { return new(Receipt) })
	k.Register(protocol.KindPledge, func() protocol.Body { return new(Pledge) })
	k.Register(KindWithdraw, func() protocol.Body { return new(Withdraw) })
	k.Register(KindDistrict, func() protocol.Body { return new(District) })
	k.Register(KindRole, func() protocol.Body { return new(Role) })
	k.Register(protocol.KindFraud, func() protocol.Body { return new(Fraud) })
}

var (
	_ protocol.Body = (*Receipt)(nil)
	_ protocol.Body = (*Pledge)(nil)
	_ protocol.Body = (*Withdraw)(nil)
	_ protocol.Body = (*District)(nil)
	_ protocol.Body = (*Role)(nil)
	_ protocol.Body = (*Fraud)(nil)
)
