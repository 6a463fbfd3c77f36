//go:build demo

package main

import (
	"bufio"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// loopbackServer starts cmd, a server that prints its port and serves
// until its stdin closes, and returns its URL; need names what it takes.
func loopbackServer(t *testing.T, cmd *exec.Cmd, need string) string {
	t.Helper()
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s is needed: %v", need, err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	port, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("%s is needed: %v", need, err)
	}
	return "http://127.0.0.1:" + strings.TrimSpace(port)
}

// jsPage opens js.html, where the JS API is loaded as globalThis.authlib.
func jsPage(t *testing.T) *browser {
	t.Helper()
	srv := httptest.NewServer(newHandler(distDir(t)))
	t.Cleanup(srv.Close)
	b := launch(t)
	b.run(chromedp.Navigate(srv.URL+"/js.html"),
		chromedp.Poll(`document.getElementById('jsstatus').textContent.includes('is loaded')`, nil, chromedp.WithPollingTimeout(20*time.Second)))
	return b
}

// demoPreset opens the demo, sends the scheme's right preset, which must
// get 200 in one exchange, and checks the page with axe; it returns the
// page and its server's URL.
func demoPreset(t *testing.T, scheme string) (*browser, string) {
	t.Helper()
	srv := httptest.NewServer(newHandler(distDir(t)))
	t.Cleanup(srv.Close)
	b := open(t, srv.URL+"/")
	b.run(chromedp.Poll(`document.getElementById('mock-note').textContent.includes('served')`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	b.pick(scheme, "right")
	if st, n := b.send(); st != 200 || n != 1 {
		t.Fatalf("%s with the right credentials: status %d after %d exchanges; the page says %q", scheme, st, n, b.text("#summary"))
	}
	b.axe(scheme + ", right credentials")
	return b, srv.URL
}

// samples checks that each code sample holds what want gives for it.
func (b *browser) samples(want map[string]string) {
	b.t.Helper()
	for id, w := range want {
		if c := b.text(id); !strings.Contains(c, w) {
			b.t.Errorf("%s: %q lacks %q", id, c, w)
		}
	}
}

// wrongPreset sends the scheme's wrong preset, which must get status.
func (b *browser) wrongPreset(scheme string, status int) {
	b.t.Helper()
	b.pick(scheme, "wrong")
	if st, _ := b.send(); st != status {
		b.t.Errorf("%s with wrong credentials: status %d, want %d", scheme, st, status)
	}
	b.axe(scheme + ", wrong credentials")
}

// AWS Signature Version 4 from the JS API in Chromium, checked by botocore
// (AWS's own Python signer, authlib/nethttp/testdata/botocore_sigv4.py):
// each request is signed again from what arrived, and answered 200 only
// when the signatures agree.
func TestAWSV4InChromium(t *testing.T) {
	api := loopbackServer(t, exec.Command("python3", "../../authlib/nethttp/testdata/botocore_sigv4.py", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "s3", "session/token+="),
		"python3 with botocore (Debian: apt-get install python3-botocore)")
	b := jsPage(t)
	var got string
	b.run(chromedp.Evaluate(`(async (api) => {
		const auth = { type: 'aws4', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
			sessionToken: 'session/token+=', region: 'us-east-1', service: 's3' };
		const out = [];
		const client = authlib.client({ auth });
		for (const [path, init] of [['/k/a b/Ü.txt?versionId=3&x=a+b', {}], ['/k/obj', { method: 'PUT', body: 'hello', headers: { 'Content-Type': 'text/plain', 'X-Amz-Meta-A': 'b' } }]]) {
			for (const res of [await authlib.fetch(api + path, { ...init, auth }), await client.fetch(api + path, init)]) {
				out.push(res.status === 200 ? 'ok' : res.status + ' ' + await res.text());
			}
		}
		let creds = 0;
		const temp = authlib.client({ auth: { type: 'aws4', region: 'us-east-1', service: 's3',
			credentials: async () => { creds++; return { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey, sessionToken: auth.sessionToken, expiration: Date.now() + 3600e3 }; } } });
		const all = await Promise.all(Array.from({ length: 20 }, () => temp.fetch(api + '/t')));
		out.push(all.every((r) => r.status === 200) ? 'ok' : 'temporary credentials refused');
		out.push('credentials asked ' + creds);
		const url = await authlib.aws4.presign(api + '/k/report.pdf', { ...auth, expires: 60 });
		const res = await fetch(url);
		out.push(res.status === 200 ? 'ok' : res.status + ' ' + await res.text());
		return out.join('|');
	})(`+"`"+api+"`"+`)`, &got, awaitPromise))
	if want := "ok|ok|ok|ok|ok|credentials asked 1|ok"; got != want {
		t.Errorf("in Chromium: %s\nwant %s", got, want)
	}
}

// The demo's AWS preset: a signed request the mock API accepts, what was
// signed shown beside it (the canonical request and string to sign), the
// signature and the secret masked, and the code to do the same.
func TestDemoAWSV4(t *testing.T) {
	b, _ := demoPreset(t, "aws4")
	var canonical, sts, html string
	b.run(chromedp.Evaluate(`document.querySelector('#signed .canonical').textContent`, &canonical),
		chromedp.Evaluate(`document.querySelector('#signed .string-to-sign').textContent`, &sts),
		chromedp.OuterHTML("html", &html, chromedp.ByQuery))
	if !strings.HasPrefix(canonical, "GET\n/api/aws4/execute-api/prod/items\nlimit=10\n") || !strings.HasSuffix(canonical, "\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") {
		t.Errorf("the canonical request shown: %q", canonical)
	}
	if !strings.HasPrefix(sts, "AWS4-HMAC-SHA256\n") || !strings.Contains(sts, "/us-east-1/execute-api/aws4_request\n") {
		t.Errorf("the string to sign shown: %q", sts)
	}
	if s := b.text("#exchanges"); !strings.Contains(s, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(s, "Signature=••••") {
		t.Errorf("the Authorization shown: %q", s)
	}
	if strings.Contains(html, "wJalrXUtnFEMI") {
		t.Error("the page shows the secret access key")
	}
	b.samples(map[string]string{"#code-curl": "--aws-sigv4 'aws:amz:us-east-1:execute-api'", "#code-python": "AWS4Auth(",
		"#code-js": "type: 'aws4'", "#code-go": "&authlib.AWSV4{"})
	b.wrongPreset("aws4", 403)
	if s := b.text("#exchanges"); !strings.Contains(s, "The Canonical String for this request should have been") {
		t.Errorf("the 403 does not show what the server computed: %q", s)
	}
}

// netrc is Node's: a page has no files, and says so before sending.
func TestNetrcUnsupportedInChromium(t *testing.T) {
	b := jsPage(t)
	var got string
	b.run(chromedp.Evaluate(`authlib.fetch('api/headers', { netrc: true }).then(() => 'sent', (e) => e.code + ': ' + e.message)`, &got, awaitPromise))
	if got != "unsupported: authlib: netrc needs Node: a browser has no files to read" {
		t.Errorf("netrc in Chromium: %q", got)
	}
}

// The demo's OAuth 1.0a preset: a request the mock provider accepts, its
// signature base string shown, the secrets masked, and the code.
func TestDemoOAuth1(t *testing.T) {
	b, _ := demoPreset(t, "oauth1")
	var base, html string
	b.run(chromedp.Evaluate(`document.querySelector('#signed .base-string').textContent`, &base),
		chromedp.OuterHTML("html", &html, chromedp.ByQuery))
	if !strings.HasPrefix(base, "GET&http%3A%2F%2F127.0.0.1%3A") || !strings.Contains(base, "%2Fapi%2Foauth1%2Fapi%2Fuser&oauth_consumer_key%3Doauth1-client%26oauth_nonce%3D") {
		t.Errorf("the base string shown: %q", base)
	}
	if strings.Contains(html, "kept &amp; safe") || strings.Contains(html, "token/secret") {
		t.Error("the page shows a secret")
	}
	b.samples(map[string]string{"#code-curl": "curl has no OAuth 1.0a", "#code-python": "OAuth1(",
		"#code-js": "type: 'oauth1'", "#code-go": "authlib.OAuth1{"})
	b.wrongPreset("oauth1", 401)
}

// RFC 9421 from the JS API in Chromium, with a non-extractable Ed25519
// key and an ECDSA one that Chromium's WebCrypto holds, checked by the npm
// verifier (http-message-signatures) in Node.
func TestHTTPSigInChromium(t *testing.T) {
	lib, err := filepath.Abs("../../bin/npm/node_modules/http-message-signatures/lib/index.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lib); err != nil {
		t.Fatalf("http-message-signatures is not installed (make test installs it into bin/npm): %v", err)
	}
	api := loopbackServer(t, exec.Command("node", "testdata/httpsig-verifier.mjs", lib), "node with http-message-signatures")
	b := jsPage(t)
	var got string
	b.run(chromedp.Evaluate(`(async (api) => {
		const out = [];
		for (const [keyid, gen, alg] of [['ed', { name: 'Ed25519' }, 'ed25519'], ['ec', { name: 'ECDSA', namedCurve: 'P-256' }, 'ecdsa-p256-sha256']]) {
			const pair = await crypto.subtle.generateKey(gen, false, ['sign', 'verify']);
			const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
			await fetch(api + '/keys', { method: 'POST', body: JSON.stringify({ keyid, alg, jwk }) });
			const auth = { type: 'httpsig', keyId: keyid, key: pair.privateKey, nonce: true };
			const client = authlib.client({ auth });
			for (const res of [await authlib.fetch(api + '/a?x=1', { auth }), await client.fetch(api + '/b', { method: 'POST', body: 'hello' })]) {
				out.push(res.status === 200 ? 'ok' : res.status + ' ' + await res.text());
			}
		}
		return out.join('|');
	})(`+"`"+api+"`"+`)`, &got, awaitPromise))
	if got != "ok|ok|ok|ok" {
		t.Errorf("in Chromium: %s", got)
	}
}

// The demo's RFC 9421 preset: a request signed with RFC 9421's shared
// secret, its signature base shown, the secret masked.
func TestDemoHTTPSig(t *testing.T) {
	b, site := demoPreset(t, "httpsig")
	var base, html string
	b.run(chromedp.Evaluate(`document.querySelector('#signed .signature-base').textContent`, &base),
		chromedp.OuterHTML("html", &html, chromedp.ByQuery))
	if !strings.HasPrefix(base, "\"@method\": GET\n\"@target-uri\": "+site+"/api/httpsig/items\n\"@authority\": 127.0.0.1:") ||
		!strings.Contains(base, `"@signature-params": ("@method" "@target-uri" "@authority");created=`) {
		t.Errorf("the signature base shown: %q", base)
	}
	if strings.Contains(html, "uzvJfB4u3N0Jy4T7") {
		t.Error("the page shows the shared secret")
	}
	b.samples(map[string]string{"#code-curl": "curl has no HTTP Message Signatures", "#code-python": "HTTPSignatureAuth(",
		"#code-js": "type: 'httpsig'", "#code-go": "authlib.HTTPSig{"})
	b.wrongPreset("httpsig", 401)
}

// OAuth 1.0a from the JS API in Chromium: the three-legged flow against
// the mock provider, then signed requests in each placement, through
// fetch and a client.
func TestOAuth1InChromium(t *testing.T) {
	b := jsPage(t)
	var got string
	b.run(chromedp.Evaluate(`(async () => {
		const api = new URL('api', location.href).href;
		const app = { clientKey: 'oauth1-client', clientSecret: 'oauth1 secret: kept & safe' };
		const rt = await authlib.oauth1.requestToken(api + '/oauth1/request_token', app); // out of band
		const { oauth_verifier } = await (await fetch(authlib.oauth1.authorizationURL(api + '/oauth1/authorize', rt))).json();
		const tok = await authlib.oauth1.accessToken(api + '/oauth1/access_token', { ...app, resourceOwnerKey: rt.oauth_token, resourceOwnerSecret: rt.oauth_token_secret, verifier: oauth_verifier });
		const out = [tok.screen_name];
		for (const signatureType of ['header', 'query', 'body']) {
			const auth = { type: 'oauth1', ...app, resourceOwnerKey: tok.oauth_token, resourceOwnerSecret: tok.oauth_token_secret, signatureType };
			const init = { method: 'POST', body: new URLSearchParams({ a: 'b c' }) };
			const client = authlib.client({ auth });
			for (const res of [await authlib.fetch(api + '/oauth1/api/user?q=1', { ...init, auth }), await client.fetch(api + '/oauth1/api/user?q=1', init)]) {
				out.push(res.status === 200 ? 'ok' : res.status + ' ' + await res.text());
			}
		}
		return out.join('|');
	})()`, &got, awaitPromise))
	if got != "alice|ok|ok|ok|ok|ok|ok" {
		t.Errorf("in Chromium: %s", got)
	}
}
