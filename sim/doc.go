// Package sim proves Mycel's convergence promise by deterministic
// simulation: real nodes (node.New: gossipsub, replicate sync, settler,
// fraud writer, DHT client) over in-memory stores (storage/mem) on
// go-libp2p's mocknet, inside testing/synctest, so that time is virtual
// and a hundred peers run in a second of real time. A seed fixes the
// topology, identities, workload, timings and faults; a nemesis partitions
// and heals, kills and restarts peers, restores one from an old copy of
// its store, resets connections and skews clocks. After the last heal the
// run checks that every peer holds every acknowledged entry within the
// delivery bound, that all peers agree on the store and ledger digests,
// that no pledge paid a proof twice and that only a restored author is
// flagged. See sim_test.go for the flags:
//
//	go test ./sim                         # CI: 200 seeds, 10 peers each
//	go test ./sim -run TestSeeds -seeds 10000
//	go test ./sim -run TestSeeds -seed 1234 -v   # replay one seed
//	MYCEL_SIM_LONG=1 go test ./sim -run 'TestLong|TestHealFigure' -v
package sim
