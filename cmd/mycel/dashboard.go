package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/dashboard"
)

func (a *app) dashboardCmd() *cobra.Command {
	var open bool
	cmd := &cobra.Command{
		Use:   "dashboard",
		Short: "Print a one-time login URL of the daemon's dashboard in the browser (--open opens it)",
		Long: `Print a one-time login URL of the local dashboard that the daemon serves on its
API address. Opening it sets a session cookie in that browser; the URL works once,
within 5 minutes. The dashboard shows the overview, the district feed live, proofs,
the ledger and the mesh, and publishes, attests, pays and pledges through the API.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			u, err := a.loginURL(cmd.Context())
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, u)
			}
			fmt.Fprintln(a.stdout, u.URL)
			if open {
				if err := openBrowser(u.URL); err != nil {
					return withRemedy(fmt.Errorf("open a browser: %w", err), "open the URL above yourself")
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&open, "open", false, "open the URL in the default browser")
	return cmd
}

func (a *app) loginURL(ctx context.Context) (dashboard.LoginURL, error) {
	var u dashboard.LoginURL
	svc, done, err := a.service(ctx, needDaemon)
	if err != nil {
		return u, err
	}
	defer done()
	c, ok := svc.(*api.Client)
	if !ok {
		return u, errors.New("the dashboard needs a running daemon")
	}
	if err := c.Call(ctx, http.MethodPost, dashboard.LoginRoute, struct{}{}, &u); err != nil {
		return u, err
	}
	return u, nil
}

// openBrowser hands url to the desktop's opener.
func openBrowser(url string) error {
	name, args := "xdg-open", []string{url}
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
	}
	return exec.Command(name, args...).Start()
}
