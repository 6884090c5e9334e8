package vault_test

func crashChild() bool { return false }
