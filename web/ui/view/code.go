package view

import (
	"strconv"
	"strings"
)

// Code returns the request as Python requests, JS (authlib.mjs) and Go
// code, with secrets masked unless m reveals them.
func Code(f *Form, m *Masker) (python, js, goCode string) {
	url := m.Text(f.Target())
	user := strconv.Quote(f.Username)
	pw := strconv.Quote(m.secret(f.Password))
	tok := strconv.Quote(m.secret(f.Token))
	qURL := strconv.Quote(url)

	var py strings.Builder
	py.WriteString("import requests\n")
	switch f.Scheme {
	case Basic:
		py.WriteString("\nr = requests.get(" + qURL + ", auth=(" + user + ", " + pw + "))\n")
	case Digest:
		py.WriteString("from requests.auth import HTTPDigestAuth\n")
		if strings.HasPrefix(f.algorithm(), "SHA-512-256") || f.qop() == "auth-int" {
			py.WriteString("# requests speaks neither SHA-512-256 nor qop=auth-int: authlib does.\n")
		}
		py.WriteString("\nr = requests.get(" + qURL + ", auth=HTTPDigestAuth(" + user + ", " + pw + "))\n")
	case Bearer:
		py.WriteString("\nr = requests.get(" + qURL + ", headers={\"Authorization\": \"Bearer \" + " + tok + "})\n")
	case Token:
		py.WriteString("from requests.auth import AuthBase\n\n")
		py.WriteString("class TokenAuth(AuthBase):\n    def __init__(self, token):\n        self.token = token\n\n")
		py.WriteString("    def __call__(self, r):\n        r.headers[\"X-TokenAuth\"] = self.token\n        return r\n")
		py.WriteString("\nr = requests.get(" + qURL + ", auth=TokenAuth(" + tok + "))\n")
	default:
		py.WriteString("\nr = requests.get(" + qURL + ")\n")
	}
	py.WriteString("print(r.status_code)")

	var auth string
	switch f.Scheme {
	case Basic:
		auth = "[" + user + ", " + pw + "]"
	case Digest:
		auth = "{ type: 'digest', username: " + user + ", password: " + pw + " }"
	case Bearer:
		auth = "{ type: 'bearer', token: " + tok + " }"
	case Token:
		auth = "(request) => { request.headers.set('X-TokenAuth', " + tok + "); }"
	}
	var j strings.Builder
	j.WriteString("import { load } from './authlib.mjs';\nconst authlib = await load();\n\n")
	if auth == "" {
		j.WriteString("const res = await authlib.fetch(" + qURL + ");\n")
	} else {
		j.WriteString("const res = await authlib.fetch(" + qURL + ", { auth: " + auth + " });\n")
	}
	j.WriteString("console.log(res.status);")

	var goAuth string
	switch f.Scheme {
	case Basic:
		goAuth = "authlib.Basic{Username: " + user + ", Password: " + pw + "}"
	case Digest:
		goAuth = "&authlib.Digest{Username: " + user + ", Password: " + pw + "}"
	case Bearer:
		goAuth = "authlib.Bearer{Token: " + tok + "}"
	case Token:
		goAuth = "authlib.HeaderAuth{Name: \"X-TokenAuth\", Value: " + tok + "}"
	default:
		goAuth = "nil"
	}
	var g strings.Builder
	g.WriteString("c := &authlib.Client{\n\tTransport: &fetch.Transport{}, // nethttp.Transport{} outside the browser\n")
	g.WriteString("\tAuth:      " + goAuth + ",\n}\n")
	g.WriteString("res, err := c.Get(ctx, " + qURL + ")\nif err != nil {\n\treturn err\n}\ndefer res.Body.Close()\nfmt.Println(res.StatusCode)")
	return py.String(), j.String(), g.String()
}

// secret masks a whole credential value.
func (m *Masker) secret(s string) string {
	if m.Reveal || s == "" {
		return s
	}
	return Dots
}
