package parallel_test

import (
	"fmt"

	"github.com/mesocosm/mycel/internal/parallel"
)

// Each i is passed once, each result written to its own slot: no lock is
// needed, and the results are in order however the work was spread.
func ExampleFor() {
	squares := make([]int, 10)
	parallel.For(len(squares), func(i int) { squares[i] = i * i })
	fmt.Println(squares)
	// Output: [0 1 4 9 16 25 36 49 64 81]
}
