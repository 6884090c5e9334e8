// Package sim proves Mycel's convergence promise by deterministic
// simulation: real nodes (node.New: gossipsub, replicate sync, settler,
// fraud writer, DHT client, redial) over in-memory stores (storage/mem)
// on go-libp2p's mocknet, inside testing/synctest, so that time is
// virtual and a hundred peers run in a second of real time. A seed fixes
// the topology, identities, workload, timings and faults; a nemesis
// partitions and heals, kills and restarts peers, restores one from an
// old copy of its store, resets connections (which the nodes' own redial
// heals), drops and duplicates gossip messages (node.WithGossipFaults;
// links of different latencies reorder them) and skews clocks. After the
// last heal the run checks that every peer holds every acknowledged entry
// within the delivery bound (2 s per hop of the topology's diameter),
// that all peers agree on the store digest, the ledger digest and the
// size of the viewed set, that no pledge paid a proof twice and that only
// a restored author is flagged. See sim_test.go for the flags:
//
//	go test ./sim                         # CI: 200 seeds, 10 peers each
//	go test ./sim -run TestSeeds -seeds 10000
//	go test ./sim -run TestSeeds -seed 1234 -v   # replay one seed, with a trace
//	MYCEL_SIM_LONG=1 go test ./sim -run 'TestLong|TestHealFigure' -v
//
// A seed fixes every choice the harness makes, but not the order in which
// the runtime schedules goroutines that are runnable at one virtual
// instant, nor the choices libraries make from the process-wide
// math/rand and crypto/rand (gossipsub's peer selection, pubsub sequence
// numbers, the own-log nonce): a replay follows the same steps at the same
// virtual times, and usually, not always, the same message order.
package sim
