//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/web/ui/view"
	"honnef.co/go/js/dom/v2"
)

func el(tag, class, text string) dom.Element {
	e := doc.CreateElement(tag)
	if class != "" {
		e.SetAttribute("class", class)
	}
	if text != "" {
		e.SetTextContent(text)
	}
	return e
}

// render shows the last exchanges and error, masked by m.
func (p *page) render(m *view.Masker) {
	list := byID[dom.HTMLElement]("exchanges")
	list.SetInnerHTML("")
	summary := byID[dom.HTMLElement]("summary")
	errBox := byID[dom.HTMLElement]("error")
	errBox.SetInnerHTML("")
	setHidden("error", p.lastErr == nil)
	if p.lastErr != nil {
		title, advice := view.Problem(p.lastErr)
		errBox.AppendChild(el("strong", "", m.Text(title)))
		errBox.AppendChild(el("p", "", m.Text(advice)))
	}
	n := len(p.exchanges)
	summary.SetAttribute("data-exchanges", strconv.Itoa(n))
	summary.SetAttribute("data-status", "0")
	switch {
	case n == 0 && p.lastErr != nil:
		summary.SetTextContent("Nothing was sent.")
	case n == 0:
		summary.SetTextContent("Press Send to see the exchanges.")
	default:
		last := p.exchanges[n-1]
		s := strconv.Itoa(n) + " exchange"
		if n > 1 {
			s += "s"
		}
		if last.Err == nil {
			s += "; final status " + view.Status(last.Status)
		}
		summary.SetTextContent(s + ".")
		summary.SetAttribute("data-status", strconv.Itoa(last.Status))
	}
	hist := byID[dom.HTMLElement]("history")
	hist.SetInnerHTML("")
	for _, s := range p.history {
		hist.AppendChild(el("li", "", s.Line(m)))
	}
	setHidden("history-box", len(p.history) < 2)
	for i, x := range p.exchanges {
		var next *exchange
		if i+1 < n {
			next = p.exchanges[i+1]
		}
		list.AppendChild(p.renderExchange(i+1, x, next, m))
	}
}

// renderExchange shows one exchange; next, the exchange after it or nil,
// tells a challenge that was answered from a refusal.
func (p *page) renderExchange(n int, x, next *exchange, m *view.Masker) dom.Element {
	li := el("li", "exchange", "")
	head := strconv.Itoa(n) + ". " + x.Method + " " + m.Text(x.URL)
	if x.Err == nil {
		head += " → " + view.Status(x.Status)
	}
	head += " · " + strconv.FormatInt(x.Duration.Milliseconds(), 10) + " ms"
	li.AppendChild(el("h3", "", head))

	req := el("div", "request", "")
	req.AppendChild(el("h4", "", "Request headers set by authlib (the browser adds its own)"))
	req.AppendChild(headerTable(x.Header, x.Creds, m))
	if signed := p.signedView(x, m); signed != nil {
		req.AppendChild(signed)
	}
	if proof := dpopView(x, m); proof != nil {
		req.AppendChild(proof)
	}
	li.AppendChild(req)

	res := el("div", "response", "")
	res.AppendChild(el("h4", "", "Response"))
	if x.Err != nil {
		res.AppendChild(el("p", "status bad", "No response: "+m.Text(x.Err.Error())))
		li.AppendChild(res)
		li.AppendChild(rawView(x, m))
		return li
	}
	line := view.Status(x.Status)
	cls := "status ok"
	if x.Status >= 400 {
		cls = "status bad"
	}
	if x.Status == 401 || x.Status == 407 {
		answered := next != nil && next.URL == x.URL && len(next.Creds) > 0
		mean, refusal := view.ChallengeMeaning(x.Status, answered, len(x.Creds) > 0)
		line += ": " + mean
		if !refusal {
			cls = "status challenge"
		}
	} else if mean := view.Meaning(x.Status); mean != "" {
		line += ": " + mean
	}
	if x.Status == 401 || x.Status == 407 {
		field := "Www-Authenticate"
		if x.Status == 407 {
			field = "Proxy-Authenticate"
		}
		if ch := view.Challenges(x.RespHdr.Values(field)); ch != "" {
			line += ". It asks for " + ch
		}
	}
	res.AppendChild(el("p", cls, line+"."))
	if x.FollowedTo != "" {
		res.AppendChild(el("p", "note", "The browser followed a redirect to "+m.Text(x.FollowedTo)+" by itself: scripts see neither "+
			"the redirect nor the request it made again (after a 307 or 308 the same method and body; after a 301, 302 or 303 a POST becomes a GET). "+
			"Only Authorization may go along, and fetch drops it at another origin."))
	}
	res.AppendChild(headerTable(x.RespHdr, nil, m))
	if len(x.Body) > 0 {
		res.AppendChild(el("pre", "body", m.Text(prettyBody(x.Body))))
	}
	li.AppendChild(res)
	li.AppendChild(rawView(x, m))
	return li
}

// rawView is the exchange as HTTP text, folded away until asked for.
func rawView(x *exchange, m *view.Masker) dom.Element {
	d := el("details", "raw", "")
	d.AppendChild(el("summary", "", "Raw HTTP"))
	body := x.Body
	if len(body) > 4096 {
		body = body[:4096]
	}
	d.AppendChild(el("pre", "", view.Raw(x.Method, x.URL, x.Header, x.Creds, string(x.ReqBody), x.Status, x.RespHdr, string(body), m)))
	return d
}

func headerTable(h map[string][]string, creds map[string]bool, m *view.Masker) dom.Element {
	t := el("table", "headers", "")
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sortStrings(names)
	if len(names) == 0 {
		t.AppendChild(el("caption", "", "(no headers)"))
	}
	for _, k := range names {
		tr := el("tr", "", "")
		th := el("th", "", view.HeaderName(k))
		th.SetAttribute("scope", "row")
		tr.AppendChild(th)
		tr.AppendChild(el("td", "", m.Header(k, strings.Join(h[k], ", "), creds[k])))
		t.AppendChild(tr)
	}
	return t
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// prettyBody indents JSON; other text is shown as it came.
func prettyBody(b []byte) string {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") == nil {
		return out.String()
	}
	return string(b)
}

// signedView shows what a signed request's signature covered, or nil for
// any other request: for AWS SigV4 the canonical request and the string to
// sign (what AWS shows of its own when they differ), for OAuth 1.0a the
// signature base string.
func (p *page) signedView(x *exchange, m *view.Masker) dom.Element {
	if p.client == nil {
		return nil
	}
	req, err := authlib.NewRequest(context.Background(), x.Method, x.URL, x.ReqBody)
	if err != nil {
		return nil
	}
	req.Header = x.Header.Clone()
	d := el("div", "signed", "")
	d.SetAttribute("id", "signed")
	switch a := p.client.Auth.(type) {
	case *authlib.AWSV4:
		if !strings.HasPrefix(x.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
			return nil
		}
		sig, err := a.Signed(req)
		if err != nil {
			return nil
		}
		d.AppendChild(el("h4", "", "What was signed (AWS Signature V4): the canonical request"))
		d.AppendChild(el("pre", "canonical", m.Text(sig.CanonicalRequest)))
		d.AppendChild(el("h4", "", "The string to sign, whose HMAC with a key derived from the secret, the date, region and service is the signature"))
		d.AppendChild(el("pre", "string-to-sign", m.Text(sig.StringToSign)))
	case authlib.HTTPSig:
		sig, err := a.Signed(req)
		if err != nil {
			return nil
		}
		d.AppendChild(el("h4", "", "What was signed (RFC 9421): the signature base, a line per covered component, then the parameters"))
		d.AppendChild(el("pre", "signature-base", m.Text(sig.Base)))
		d.AppendChild(el("p", "note", "Signature holds its HMAC (or a private key's signature); Content-Digest, when covered, the body's hash."))
	case authlib.OAuth1:
		sig, err := a.Signed(req)
		if err != nil || sig.Sent == "" {
			return nil
		}
		d.AppendChild(el("h4", "", "What was signed (OAuth 1.0a): the signature base string, the method, URL and every parameter, encoded"))
		d.AppendChild(el("pre", "base-string", m.Text(sig.BaseString)))
		d.AppendChild(el("p", "note", "The signature is its HMAC with the key client secret & token secret: a server that computes another base string refuses it."))
	default:
		return nil
	}
	return d
}
