package main

import "github.com/spf13/cobra"

func (a *app) daemonCmd() *cobra.Command { return &cobra.Command{Use: "daemon"} }
