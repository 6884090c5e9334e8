package api

import "strconv"

// NextHeader carries a listing page's cursor in an HTTP answer whose body
// is the page's rows: absent on the last page. A client passes it back as
// the after parameter.
const NextHeader = "Mycel-Next"

// limitParam reads a listing's limit parameter: "" is 0 (a whole page).
func limitParam(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxPage {
		return 0, badInput("limit %q: want a number from 1 to %d", s, MaxPage)
	}
	return n, nil
}
