package gossip

import (
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// MaxMessageSize bounds one pubsub RPC: one maximal entry plus room for
// framing and control messages. Larger RPCs reset the stream.
const MaxMessageSize = protocol.MaxEntrySize + 16<<10

// IDontWantThreshold is the smallest message, in bytes, that a peer
// announces with IDONTWANT to its mesh peers as soon as it arrives, so
// that they do not send it a copy. Pubsub's default (1 KiB) exempts
// typical entries (300-600 bytes); an IDONTWANT costs about 45 bytes per
// mesh peer, less than the duplicate it saves.
const IDontWantThreshold = 128

// Params returns the gossipsub router parameters: pubsub's defaults
// (D=6, D_lo=5, D_hi=12, heartbeat 1 s) with IDONTWANT from
// IDontWantThreshold bytes.
func Params() pubsub.GossipSubParams {
	p := pubsub.DefaultGossipSubParams()
	p.IDontWantMessageThreshold = IDontWantThreshold
	return p
}

// Score thresholds. A peer under GossipThreshold gets no gossip from us,
// under PublishThreshold none of our publications, under GraylistThreshold
// its RPCs are ignored.
const (
	GossipThreshold             = -10
	PublishThreshold            = -50
	GraylistThreshold           = -80
	AcceptPXThreshold           = 5
	OpportunisticGraftThreshold = 3
)

// Thresholds returns the peer score thresholds documented above.
func Thresholds() *pubsub.PeerScoreThresholds {
	return &pubsub.PeerScoreThresholds{
		GossipThreshold:             GossipThreshold,
		PublishThreshold:            PublishThreshold,
		GraylistThreshold:           GraylistThreshold,
		AcceptPXThreshold:           AcceptPXThreshold,
		OpportunisticGraftThreshold: OpportunisticGraftThreshold,
	}
}

// ScoreParams returns the peer-level score parameters. Topic parameters
// are added per district as topics are joined (TopicParams).
func ScoreParams() *pubsub.PeerScoreParams {
	return &pubsub.PeerScoreParams{
		Topics:                      map[string]*pubsub.TopicScoreParams{},
		TopicScoreCap:               50,
		AppSpecificScore:            func(peer.ID) float64 { return 0 },
		AppSpecificWeight:           1,
		IPColocationFactorWeight:    -10,
		IPColocationFactorThreshold: 10,
		BehaviourPenaltyWeight:      -10,
		BehaviourPenaltyThreshold:   6,
		BehaviourPenaltyDecay:       pubsub.ScoreParameterDecay(10 * time.Minute),
		DecayInterval:               time.Second,
		DecayToZero:                 0.01,
		RetainScore:                 time.Hour,
	}
}

// TopicParams returns the score parameters of one district topic:
// time in mesh (P1) and first deliveries (P2) earn a little, each invalid
// message (P4) costs -10 times the square of the count, decaying over an
// hour. Mesh delivery deficits (P3) are off: districts are quiet.
func TopicParams() *pubsub.TopicScoreParams {
	return &pubsub.TopicScoreParams{
		TopicWeight:                     1,
		TimeInMeshWeight:                0.01,
		TimeInMeshQuantum:               time.Second,
		TimeInMeshCap:                   300,
		FirstMessageDeliveriesWeight:    1,
		FirstMessageDeliveriesDecay:     pubsub.ScoreParameterDecay(10 * time.Minute),
		FirstMessageDeliveriesCap:       20,
		MeshMessageDeliveriesDecay:      pubsub.ScoreParameterDecay(time.Minute),
		MeshMessageDeliveriesCap:        1,
		MeshMessageDeliveriesThreshold:  1,
		MeshMessageDeliveriesActivation: time.Minute,
		MeshFailurePenaltyDecay:         pubsub.ScoreParameterDecay(time.Minute),
		InvalidMessageDeliveriesWeight:  -10,
		InvalidMessageDeliveriesDecay:   pubsub.ScoreParameterDecay(time.Hour),
	}
}

// MessageID is the message ID function: the binary CID of the message
// data (CIDv1, dag-cbor, sha2-256), whether or not the data decodes.
func MessageID(m *pb.Message) string { return string(protocol.Sum(m.Data).Bytes()) }
