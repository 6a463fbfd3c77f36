package view

import (
	"strconv"
	"strings"
)

// Code returns the request as Python requests, JS (authlib.mjs) and Go
// code, with secrets masked unless m reveals them.
func Code(f *Form, m *Masker) (python, js, goCode string) {
	qURL := strconv.Quote(m.Text(f.Target()))
	user := strconv.Quote(f.Username)
	pw := strconv.Quote(m.secret(f.Password))
	tok := strconv.Quote(m.secret(f.Token))

	// Each scheme in the three languages: Python's imports and the
	// arguments after the URL, the JS auth option, the Go Auth value.
	var pyHead, pyArgs, jsAuth string
	goAuth := "nil"
	switch f.Scheme {
	case Basic:
		pyArgs = ", auth=(" + user + ", " + pw + ")"
		jsAuth = "[" + user + ", " + pw + "]"
		goAuth = "authlib.Basic{Username: " + user + ", Password: " + pw + "}"
	case Digest:
		pyHead = "from requests.auth import HTTPDigestAuth\n"
		if strings.HasPrefix(f.algorithm(), "SHA-512-256") || f.qop() == "auth-int" {
			pyHead += "# requests speaks neither SHA-512-256 nor qop=auth-int: authlib does.\n"
		}
		pyArgs = ", auth=HTTPDigestAuth(" + user + ", " + pw + ")"
		jsAuth = "{ type: 'digest', username: " + user + ", password: " + pw + " }"
		goAuth = "&authlib.Digest{Username: " + user + ", Password: " + pw + "}"
	case Bearer:
		pyArgs = ", headers={\"Authorization\": \"Bearer \" + " + tok + "}"
		jsAuth = "{ type: 'bearer', token: " + tok + " }"
		goAuth = "authlib.Bearer{Token: " + tok + "}"
	case Token:
		pyHead = "from requests.auth import AuthBase\n\n" +
			"class TokenAuth(AuthBase):\n    def __init__(self, token):\n        self.token = token\n\n" +
			"    def __call__(self, r):\n        r.headers[\"X-TokenAuth\"] = self.token\n        return r\n"
		pyArgs = ", auth=TokenAuth(" + tok + ")"
		jsAuth = "(request) => { request.headers.set('X-TokenAuth', " + tok + "); }"
		goAuth = "authlib.HeaderAuth{Name: \"X-TokenAuth\", Value: " + tok + "}"
	}

	python = "import requests\n" + pyHead + "\nr = requests.get(" + qURL + pyArgs + ")\nprint(r.status_code)"
	init := ""
	if jsAuth != "" {
		init = ", { auth: " + jsAuth + " }"
	}
	js = "import { load } from './authlib.mjs';\nconst authlib = await load();\n\n" +
		"const res = await authlib.fetch(" + qURL + init + ");\nconsole.log(res.status);"
	goCode = "c := &authlib.Client{\n\tTransport: &fetch.Transport{}, // nethttp.Transport{} outside the browser\n" +
		"\tAuth:      " + goAuth + ",\n}\n" +
		"res, err := c.Get(ctx, " + qURL + ")\nif err != nil {\n\treturn err\n}\ndefer res.Body.Close()\nfmt.Println(res.StatusCode)"
	return python, js, goCode
}

// secret masks a whole credential value.
func (m *Masker) secret(s string) string {
	if m.Reveal || s == "" {
		return s
	}
	return Dots
}
