package dashboard

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds one template set per page, each with the layout.
type pages map[string]*template.Template

// pageNames are the page templates; "rows" holds fragments the live feed
// sends too.
var pageNames = []string{"overview", "feed", "proof", "ledger", "mesh", "actions", "publish"}

var funcs = template.FuncMap{
	"short": short,
	"when":  when,
	"join":  strings.Join,
}

func parsePages() pages {
	p := pages{}
	for _, name := range pageNames {
		p[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/rows.html", "templates/"+name+".html"))
	}
	return p
}

// view is what every page template gets.
type view struct {
	Title string
	Nav   string // the page's name, marked in the navigation
	CSRF  string
	Flash string // one line saying what the last action did
	Err   string // one line saying why a page could not be read whole
	Data  any
}

// render writes page name with data, whole or not at all.
func (d *Dashboard) render(w http.ResponseWriter, status int, name string, v view) {
	var buf bytes.Buffer
	if err := d.pages[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		refuse(w, http.StatusInternalServerError, "render "+name+": "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fragment renders one named template of page name, for the live feed.
func (d *Dashboard) fragment(page, name string, data any) (string, error) {
	var buf bytes.Buffer
	err := d.pages[page].ExecuteTemplate(&buf, name, data)
	return buf.String(), err
}

func staticFiles() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	return http.StripPrefix(Prefix+"static/", http.FileServerFS(sub))
}

// short abbreviates a peer ID or CID to its last 8 characters.
func short(s string) string {
	if len(s) <= 12 {
		return s
	}
	return "…" + s[len(s)-8:]
}

// when prints a time in UTC to the minute; "" for the zero time.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
