//go:build js && wasm

package main

import (
	"net/url"
	"syscall/js"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/web/ui/view"
	"honnef.co/go/js/dom/v2"
)

// The page's choices live in its URL (?scheme=digest&algorithm=SHA-256…)
// so that a link shows someone else the same thing. Never a secret: no
// username, password or token, and a URL of one's own only as origin and
// path, and only when no secret of the form is in it.

// restoreState sets the form from the page's query, before it is read.
func restoreState() {
	q := url.Values{}
	if u, err := url.Parse(doc.(dom.HTMLDocument).URL()); err == nil {
		q = u.Query()
	}
	for _, name := range []string{"scheme", "target"} {
		if v := q.Get(name); v != "" {
			if e := doc.QuerySelector("input[name=" + name + "][value=\"" + cssValue(v) + "\"]"); e != nil {
				e.(*dom.HTMLInputElement).SetChecked(true)
			}
		}
	}
	for id, name := range map[string]string{"algorithm": "algorithm", "qop": "qop", "oauth-flow": "flow", "method": "method"} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		sel := byID[*dom.HTMLSelectElement](id)
		for _, o := range sel.Options() {
			if o.Value() == v {
				sel.SetValue(v)
			}
		}
	}
	if q.Get("target") == "custom" {
		byID[*dom.HTMLInputElement]("url").SetValue(q.Get("url"))
	}
	if q.Get("keep") == "0" {
		byID[*dom.HTMLInputElement]("keep").SetChecked(false)
	}
}

// cssValue keeps what goes into a selector's quoted value harmless.
func cssValue(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' {
			out = append(out, c)
		}
	}
	return string(out)
}

// saveState writes the form's choices into the page's URL, in place.
func (p *page) saveState() {
	f := &p.form
	q := url.Values{}
	q.Set("scheme", string(f.Scheme))
	switch f.Scheme {
	case view.Digest:
		q.Set("algorithm", f.Algorithm)
		q.Set("qop", f.QOP)
	case view.OAuth:
		q.Set("flow", f.Flow)
	}
	if m := f.RequestMethod(); m != "GET" {
		q.Set("method", m) // not the body, which may hold anything
	}
	if !f.Mock {
		q.Set("target", "custom")
		if u, err := authlib.ParseURL(f.Target()); err == nil {
			s := u.Scheme + "://" + u.Host + u.EscapedPath()
			if view.NewMasker(f.Secrets(), false).Text(s) == s {
				q.Set("url", s)
			}
		}
	}
	if !f.Keep {
		q.Set("keep", "0")
	}
	js.Global().Get("history").Call("replaceState", nil, "", redirectURI()+"?"+q.Encode())
}
