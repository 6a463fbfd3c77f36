//go:build js && wasm

// Command ui is the demo page: Go compiled to wasm, using authlib directly
// through its fetch transport, and honnef.co/go/js/dom/v2 for the page.
package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/fetch"
	"github.com/authlib-go/authlib/web/ui/view"
	"honnef.co/go/js/dom/v2"
)

var doc = dom.GetWindow().Document()

func byID[T any](id string) T { return doc.GetElementByID(id).(T) }

// page holds the last results, so that revealing secrets re-renders them
// without sending again.
type page struct {
	form      view.Form
	client    *authlib.Client
	rec       *recorder
	key       string
	exchanges []*exchange
	lastErr   error
	busy      bool
	sends     int // finished sends, for tests to wait on
	history   []view.Send
	histKey   string   // the form's client key and target the history is of
	newClient bool     // the next send made a new client
	learned   []string // secrets the page learned: tokens, codes, verifiers
}

func main() {
	p := &page{}
	p.form.MockBase = strings.TrimSuffix(redirectURI(), pageName()) + "api"
	p.wire()
	restoreState()
	p.probeMock()
	p.readForm()
	p.form.Right()
	p.writeCreds()
	p.refresh()
	p.resumeLogin()
	send := byID[*dom.HTMLButtonElement]("send")
	send.SetDisabled(false)
	send.SetTextContent("Send")
	doc.(dom.HTMLDocument).Body().SetAttribute("data-ready", "true")
	select {}
}

// pageName is the last path segment of the page's URL ("index.html" or "").
func pageName() string {
	u := doc.(dom.HTMLDocument).URL()
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u[strings.LastIndex(u, "/")+1:]
}

func (p *page) wire() {
	for _, el := range doc.QuerySelectorAll("input[name=scheme], input[name=target], #algorithm, #qop, #url, #username, #password, #token, #oauth-flow, #method, #body") {
		el.AddEventListener("change", false, func(dom.Event) { p.readForm(); p.refresh(); p.saveState() })
		el.AddEventListener("input", false, func(dom.Event) { p.readForm(); p.refresh(); p.saveState() })
	}
	for _, el := range doc.QuerySelectorAll("input[name=scheme], #oauth-flow") {
		el.AddEventListener("change", false, func(dom.Event) {
			if p.form.Fit() {
				p.writeCreds()
				p.refresh()
			}
		})
	}
	for _, b := range doc.QuerySelectorAll("button.copy") {
		b.AddEventListener("click", false, func(dom.Event) { copyCode(b.GetAttribute("data-for")) })
	}
	byID[*dom.HTMLInputElement]("reveal").AddEventListener("change", false, func(dom.Event) { p.refresh() })
	byID[*dom.HTMLInputElement]("keep").AddEventListener("change", false, func(dom.Event) { p.readForm(); p.refresh(); p.saveState() })
	byID[*dom.HTMLButtonElement]("preset-right").AddEventListener("click", false, func(dom.Event) {
		p.readForm()
		p.form.Right()
		p.writeCreds()
		p.refresh()
	})
	byID[*dom.HTMLButtonElement]("preset-wrong").AddEventListener("click", false, func(dom.Event) {
		p.readForm()
		p.form.Wrong()
		p.writeCreds()
		p.refresh()
	})
	byID[*dom.HTMLFormElement]("form").AddEventListener("submit", false, func(e dom.Event) {
		e.PreventDefault()
		if p.busy {
			return
		}
		p.readForm()
		go p.send() // never block inside a JS callback
	})
}

// probeMock asks whether the mock API is served beside the page; on a
// plain static server it is not, and the page says so.
func (p *page) probeMock() {
	go func() {
		c := &authlib.Client{Transport: &fetch.Transport{}, Timeout: 5 * time.Second}
		res, err := c.Get(context.Background(), p.form.MockBase+"/stats")
		ok := err == nil && res.StatusCode == 200 && strings.Contains(res.Header.Get("Content-Type"), "json")
		if err == nil {
			res.Body.Close()
		}
		note := byID[dom.HTMLElement]("mock-note")
		if ok {
			note.SetTextContent("The mock API is served by this page's server at " + p.form.MockBase + "/.")
			return
		}
		note.SetTextContent("The mock API is not available here (this looks like a plain static server). Enter a URL of your own.")
		byID[*dom.HTMLInputElement]("target-mock").SetDisabled(true)
		byID[*dom.HTMLInputElement]("target-custom").SetChecked(true)
		p.readForm()
		p.refresh()
	}()
}

func checked(name string) string {
	el := doc.QuerySelector("input[name=" + name + "]:checked")
	if el == nil {
		return ""
	}
	return el.(*dom.HTMLInputElement).Value()
}

func (p *page) readForm() {
	f := &p.form
	f.Scheme = view.Scheme(checked("scheme"))
	f.Mock = checked("target") != "custom"
	f.Algorithm = byID[*dom.HTMLSelectElement]("algorithm").Value()
	f.QOP = byID[*dom.HTMLSelectElement]("qop").Value()
	if !f.Mock {
		f.URL = byID[*dom.HTMLInputElement]("url").Value()
	}
	f.Username = byID[*dom.HTMLInputElement]("username").Value()
	f.Password = byID[*dom.HTMLInputElement]("password").Value()
	f.Token = byID[*dom.HTMLInputElement]("token").Value()
	f.Flow = byID[*dom.HTMLSelectElement]("oauth-flow").Value()
	f.Keep = byID[*dom.HTMLInputElement]("keep").Checked()
	f.Method = byID[*dom.HTMLSelectElement]("method").Value()
	f.Body = byID[*dom.HTMLTextAreaElement]("body").Value()
}

func (p *page) writeCreds() {
	byID[*dom.HTMLInputElement]("username").SetValue(p.form.Username)
	byID[*dom.HTMLInputElement]("password").SetValue(p.form.Password)
	byID[*dom.HTMLInputElement]("token").SetValue(p.form.Token)
}

func (p *page) masker() *view.Masker {
	return view.NewMasker(append(p.form.Secrets(), p.learned...), byID[*dom.HTMLInputElement]("reveal").Checked())
}

// refresh shows the parts of the form the scheme needs, the target URL,
// the code panel and the last results.
func (p *page) refresh() {
	f := &p.form
	m := p.masker()
	setHidden("digest-opts", f.Scheme != view.Digest)
	setHidden("userpass", f.Scheme != view.Basic && f.Scheme != view.Digest && f.Scheme != view.OAuth && f.Scheme != view.AWS && f.Scheme != view.OAuth1 && f.Scheme != view.HTTPSig)
	setHidden("oauth-opts", f.Scheme != view.OAuth)
	user, pass := "Username", "Password"
	switch f.Scheme {
	case view.OAuth:
		user, pass = "Client ID", "Client secret"
	case view.AWS:
		user, pass = "Access key ID", "Secret access key"
	case view.OAuth1:
		user, pass = "Client key", "Client secret"
	case view.HTTPSig:
		user, pass = "Key id", "Shared secret (base64)"
	}
	tokenLabel := "Token"
	if f.Scheme == view.OAuth1 {
		tokenLabel = "Token secret"
	}
	doc.QuerySelector("label[for=token]").SetTextContent(tokenLabel)
	doc.QuerySelector("label[for=username]").SetTextContent(user)
	doc.QuerySelector("label[for=password]").SetTextContent(pass)
	setHidden("tokenrow", f.Scheme != view.Bearer && f.Scheme != view.Token && f.Scheme != view.OAuth1)
	setHidden("creds", f.Scheme == view.None)
	setHidden("presets", !f.Mock || f.Scheme == view.None)
	setHidden("cors-note", f.Mock)
	setHidden("body-row", f.RequestMethod() == "GET")
	url := byID[*dom.HTMLInputElement]("url")
	url.SetReadOnly(f.Mock)
	if f.Mock {
		url.SetValue(m.Text(f.Target()))
	} else if strings.Contains(url.Value(), view.Dots) {
		// The mock's address, masked, is no URL to edit: start empty.
		url.SetValue("")
		f.URL = ""
	}
	py, js, goCode := view.Code(f, m)
	byID[dom.HTMLElement]("code-curl").SetTextContent(view.Curl(f, m))
	byID[dom.HTMLElement]("code-python").SetTextContent(py)
	byID[dom.HTMLElement]("code-js").SetTextContent(js)
	byID[dom.HTMLElement]("code-go").SetTextContent(goCode)
	p.render(m)
}

// recBase is the transport under the page's recorder.
func (p *page) recBase() authlib.Transport { return &fetch.Transport{} }

func setHidden(id string, hidden bool) {
	el := doc.GetElementByID(id)
	if hidden {
		el.SetAttribute("hidden", "")
	} else {
		el.RemoveAttribute("hidden")
	}
}

// send runs the request. The client, and with it a Digest nonce, is kept
// while the scheme and credentials stay the same (if asked to).
func (p *page) send() {
	p.busy = true
	// Not disabled while sending: a disabled button drops the keyboard
	// focus to the page, and Digest's second send is one key away.
	btn := byID[*dom.HTMLButtonElement]("send")
	btn.SetAttribute("aria-disabled", "true")
	btn.SetTextContent("Sending…")
	defer func() {
		p.busy = false
		btn.RemoveAttribute("aria-disabled")
		btn.SetTextContent("Send")
	}()
	keep := byID[*dom.HTMLInputElement]("keep").Checked()
	var err error
	if p.client == nil || !keep || p.key != p.form.Key() {
		p.rec = &recorder{base: p.recBase()}
		auth := p.form.Auth()
		if p.form.Scheme == view.OAuth {
			var leaving bool
			if auth, leaving, err = p.oauthAuth(); leaving {
				return // the browser goes to the authorization server
			}
		}
		p.client = &authlib.Client{Transport: p.rec, Auth: auth, Timeout: 15 * time.Second}
		p.key = p.form.Key()
		p.newClient = true
	}
	p.finish(err)
}

// finish sends the request with the client made, unless err, and shows
// what happened.
func (p *page) finish(err error) {
	var req *authlib.Request
	var res *authlib.Response
	if err == nil {
		var body []byte
		if b := p.form.RequestBody(); b != "" {
			body = []byte(b)
		}
		req, err = authlib.NewRequest(context.Background(), p.form.RequestMethod(), p.form.Target(), body)
	}
	if err == nil {
		res, err = p.client.Do(req)
	}
	if err != nil {
		p.client = nil // a failed login is not kept
	}
	if err == nil {
		io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
		res.Body.Close()
	}
	p.exchanges = p.rec.take()
	p.lastErr = err
	p.sends++
	p.remember()
	p.render(p.masker())
	byID[dom.HTMLElement]("summary").SetAttribute("data-sends", strconv.Itoa(p.sends))
}

// remember adds the send just made to the history, which starts over when
// the scheme, credentials or target change, and keeps the last 8 sends.
func (p *page) remember() {
	if k := p.form.Key() + "\x00" + p.form.Target(); k != p.histKey {
		p.history, p.histKey = nil, k
	}
	s := view.Send{N: 1, NewClient: p.newClient}
	if n := len(p.history); n > 0 {
		s.N = p.history[n-1].N + 1
	}
	p.newClient = false
	for _, x := range p.exchanges {
		h := view.Hop{Method: x.Method, Status: x.Status, Authorization: x.Header.Get("Authorization")}
		if x.Err == nil {
			h.Challenge = x.RespHdr.Values("Www-Authenticate")
		}
		s.Hops = append(s.Hops, h)
	}
	p.history = append(p.history, s)
	if len(p.history) > 8 {
		p.history = p.history[len(p.history)-8:]
	}
}
