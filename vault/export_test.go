package vault

// SetCompactFault makes Compact fail at step with err until the returned
// function is called.
func SetCompactFault(step string, err error) (undo func()) {
	compactFault = func(s string) error {
		if s == step {
			return err
		}
		return nil
	}
	return func() { compactFault = nil }
}
