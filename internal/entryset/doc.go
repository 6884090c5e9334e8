// Package entryset holds the blocks a pure view was given by entry
// identity, as the views of grid and arena read them: a link to any
// block of an entry names that entry, and an entry is reported by the
// smallest CID among its blocks held.
//
//	x := entryset.New()
//	e, first, given := x.Add(r) // first: a new entry; given: this block was given before
//	e, ok := x.Named(link)      // link: any block of the entry
package entryset
