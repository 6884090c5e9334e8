package api

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestReadJSONWords: a key written twice in a request body is refused
// (JSON would keep the last, signing what the caller did not read), and a
// value of the wrong type is worded by field and expected kind, never by
// Go type names.
func TestReadJSONWords(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"twice", `{"payee":"p","amount":1,"amount":2,"unit":"EUR"}`, `key "/amount" is written twice`},
		{"negative", `{"payee":"p","amount":-1,"unit":"EUR"}`, `field "amount" takes a non-negative integer, got number -1`},
		{"text amount", `{"payee":"p","amount":"5","unit":"EUR"}`, `field "amount" takes a non-negative integer, got string`},
		{"list for", `{"payee":"p","amount":1,"unit":"EUR","for":"x"}`, `field "for" takes a list, got string`},
		{"array body", `[]`, `the body must be a JSON object, got array`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var req PayRequest
			err := readJSON(httptest.NewRequest("POST", "/v1/receipts", strings.NewReader(c.body)), &req)
			if err == nil {
				t.Fatalf("accepted: %+v", req)
			}
			if msg := err.Error(); !strings.Contains(msg, c.want) || strings.Contains(msg, "Go ") || strings.Contains(msg, "PayRequest") {
				t.Fatalf("error %q, want it to say %q and no Go type", msg, c.want)
			}
		})
	}
	var req PublishRequest
	body := `{"mip":"MIP-HLT@1","claim":{"cohort_size":1,"cohort_size":2}}`
	if err := readJSON(httptest.NewRequest("POST", "/v1/proofs", strings.NewReader(body)), &req); err != nil {
		t.Fatalf("a claim's own keys are left to the claim check, which names them: %v", err)
	}
}
