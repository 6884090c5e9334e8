package main

import "testing"

func TestDashboardNeedsDaemon(t *testing.T) {
	dir := newHome(t)
	fails(t, 3, "no daemon is running", "--home", dir, "dashboard")
	fails(t, 2, "takes no arguments", "--home", dir, "dashboard", "extra")
}
