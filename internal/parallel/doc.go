// Package parallel runs independent pieces of CPU-bound work on every
// core: opening a message's or a chunk's entries, whose signature checks
// are most of what receiving them costs.
//
//	parallel.For(len(squares), func(i int) { squares[i] = i * i })
package parallel
