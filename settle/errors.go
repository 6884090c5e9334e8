package settle

import (
	"errors"
	"fmt"

	"github.com/mesocosm/mycel/protocol"
)

// ErrNotFraud is returned by VerifyFraud for a pair of entries that is not
// an equivocation.
var ErrNotFraud = errors.New("not an equivocation")

func badBody(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{protocol.ErrBadBody}, args...)...)
}
