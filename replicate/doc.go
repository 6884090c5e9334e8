// Package replicate moves entries between two peers over direct streams:
// anti-entropy sync (/mycel/sync/1) and fetch by CID (/mycel/fetch/1).
//
// Sync reconciles the two peers' version vectors (per author: head seq, head
// payload digest and the set of entries held as forks) with a hash tree over
// authors, so that its cost grows with what differs, not with what is held;
// then each side streams what the other lacks, per author in log order, in
// bounded batches that the receiver opens, checks and stores one vault
// transaction at a time. An interrupted sync resumes on the next call because
// every stored batch moves the receiver's heads.
//
//	svc := replicate.New(h, store, replicate.Config{Check: check})
//	defer svc.Close()
//	st, err := svc.Sync(ctx, other) // both sides learn
//	blocks, err := svc.Fetch(ctx, other, []cid.Cid{head.CID})
//
// Example runs two peers on mocknet.
//
// The pure part (Vector, Reconciler) does no I/O and is usable on its own.
package replicate
