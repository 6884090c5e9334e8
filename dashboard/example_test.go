package dashboard_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/dashboard"
	"github.com/mesocosm/mycel/vault"
)

// Example mounts the dashboard on a control API server and asks for the
// one-time login URL that `mycel dashboard` prints.
func Example() {
	dir, err := os.MkdirTemp("", "dashboard-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	v, err := vault.Create(filepath.Join(dir, "vault.db"), vault.Options{})
	if err != nil {
		panic(err)
	}
	defer v.Close()
	const token, addr = "secret", "127.0.0.1:7401"
	srv := api.NewServer(&api.Local{Vault: v}, token, "example")
	client := api.NewClient(addr, token) // the dashboard reads and writes through the API

	d := dashboard.New(client, dashboard.Options{})
	srv.MountPages(dashboard.Prefix, d.Pages())
	srv.Mount("POST "+dashboard.LoginRoute, d.Login())
	defer d.Close()

	rec := httptest.NewRecorder()
	d.Login().ServeHTTP(rec, httptest.NewRequest("POST", "http://"+addr+dashboard.LoginRoute, nil))
	var u dashboard.LoginURL
	if err := json.Unmarshal(rec.Body.Bytes(), &u); err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(u.URL, "http://"+addr+dashboard.Prefix+"login?t="))
	// Output: true
}
