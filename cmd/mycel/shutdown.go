package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

// shutdownWait bounds how long `mycel shutdown` waits for the daemon to
// be gone once it took the request.
const shutdownWait = 15 * time.Second

func (a *app) shutdownCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "shutdown",
		Short: "Stop the running daemon cleanly and wait until it is gone",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, done, err := a.service(ctx, needDaemon)
			if err != nil {
				return err
			}
			defer done()
			c, ok := svc.(*api.Client)
			if !ok {
				return errors.New("shutdown needs a daemon's API")
			}
			if err := c.Shutdown(ctx); err != nil {
				return err
			}
			h, err := home.Resolve(a.homeFlag)
			if err != nil {
				return err
			}
			if err := waitGone(ctx, h.API()); err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "daemon on %s stopped\n", h.Dir)
			return err
		},
	}
}

// waitGone waits until the daemon removed its api file, which it does
// last on a clean stop. The daemon is another process: polling the file,
// bounded by shutdownWait, is the means.
func waitGone(ctx context.Context, apiFile string) error {
	ctx, cancel := context.WithTimeout(ctx, shutdownWait)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(apiFile); os.IsNotExist(err) {
			return nil
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return withRemedy(fmt.Errorf("the daemon took the request but is still running after %v", shutdownWait),
					"look at its log; stop it with SIGTERM (kill PID) if it does not finish")
			}
			return interruptedErr("the daemon was asked to stop and is stopping")
		case <-tick.C:
		}
	}
}
