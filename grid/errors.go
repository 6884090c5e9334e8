package grid

import (
	"fmt"

	"github.com/mesocosm/mycel/protocol"
)

func badBody(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{protocol.ErrBadBody}, args...)...)
}
