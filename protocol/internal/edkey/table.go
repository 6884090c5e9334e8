package edkey

import (
	"sync"

	"filippo.io/edwards25519"
)

// A table holds the multiples of a point P that a scalar multiplication
// in signed radix 2^w adds up: rows[i][j-1] = j·2^(w·i)·P for
// 1 ≤ j ≤ 2^(w-1), over 256/w rows. [x]P is then one addition or
// subtraction per nonzero digit of x and no doubling.
type table struct {
	w    uint
	rows [][]edwards25519.Point
}

func newTable(p *edwards25519.Point, w uint) *table {
	t := &table{w: w, rows: make([][]edwards25519.Point, 256/w)}
	half := 1 << (w - 1)
	base := new(edwards25519.Point).Set(p)
	for i := range t.rows {
		row := make([]edwards25519.Point, half)
		row[0].Set(base)
		for j := 1; j < half; j++ {
			row[j].Add(&row[j-1], base)
		}
		base.Add(&row[half-1], &row[half-1]) // 2^w·2^(w·i)·P
		t.rows[i] = row
	}
	return t
}

// addMul adds [x]P to acc.
func (t *table) addMul(acc *edwards25519.Point, x *edwards25519.Scalar) {
	var d [64]int32
	digits := signedDigits(x.Bytes(), t.w, d[:len(t.rows)])
	for i, v := range digits {
		switch {
		case v > 0:
			acc.Add(acc, &t.rows[i][v-1])
		case v < 0:
			acc.Subtract(acc, &t.rows[i][-v-1])
		}
	}
}

// signedDigits writes x, 32 little-endian bytes below 2^253, in signed
// radix 2^w into d: x = Σ d[i]·2^(w·i), every digit in [-2^(w-1),
// 2^(w-1)]. For w of 4 or 8 the top window is small enough (x < 2^253)
// that the last carry stays in it.
func signedDigits(x []byte, w uint, d []int32) []int32 {
	half := int32(1) << (w - 1)
	var carry int32
	for i := range d {
		var v int32
		for k := range w {
			pos := uint(i)*w + k
			v |= int32(x[pos/8]>>(pos%8)&1) << k
		}
		v += carry
		carry = (v + half) >> w
		d[i] = v - carry<<w
	}
	return d
}

// baseTable is the table of the base point in radix 256, 640 KiB, built
// on first use: [S]B in 32 additions.
var baseTable = sync.OnceValue(func() *table {
	return newTable(edwards25519.NewGeneratorPoint(), 8)
})
