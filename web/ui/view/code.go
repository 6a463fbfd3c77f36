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
	// The mock's URLs hold the secret in their path. The code names it once
	// and builds the URL from it: a masked URL would send dots when copied.
	pyURL, jsURL, goURL := qURL, qURL, qURL
	var pyVar, jsVar, goVar string
	name, secret := "password", f.Password
	if f.Scheme == Bearer || f.Scheme == Token {
		name, secret = "token", f.Token
	}
	if before, after, ok := strings.Cut(f.Target(), "/"+secret); ok && secret != "" && f.Scheme != OAuth {
		before += "/"
		v := strconv.Quote(m.secret(secret))
		pyVar, jsVar, goVar = name+" = "+v+"\n", "const "+name+" = "+v+";\n", name+" := "+v+"\n"
		pyURL = "f" + strconv.Quote(before+"{"+name+"}"+after)
		jsURL = "`" + before + "${" + name + "}" + after + "`"
		goURL = strconv.Quote(before) + " + " + name
		if after != "" {
			goURL += " + " + strconv.Quote(after)
		}
		pw, tok = name, name
	}

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
	case AWS:
		region, service := f.AWSScope()
		pyRegion, pyService := strconv.Quote(region), strconv.Quote(service)
		jsScope, goScope := "", ""
		if region != "" {
			jsScope = ", region: '" + region + "', service: '" + service + "'"
			goScope = ", Region: " + pyRegion + ", Service: " + pyService
		} else {
			pyRegion, pyService = "region", "service" // read from the host by authlib; requests-aws4auth needs them
			pyHead = "region, service = \"us-east-1\", \"execute-api\"  # yours\n"
		}
		pyHead = "from requests_aws4auth import AWS4Auth\n" + pyHead
		pyArgs = ", auth=AWS4Auth(" + user + ", " + pw + ", " + pyRegion + ", " + pyService + ")"
		jsAuth = "{ type: 'aws4', accessKeyId: " + user + ", secretAccessKey: " + pw + jsScope + " }"
		goAuth = "&authlib.AWSV4{AccessKeyID: " + user + ", SecretAccessKey: " + pw + goScope + "}"
	case HTTPSig:
		pyHead = "import base64\nfrom requests_http_signature import HTTPSignatureAuth, algorithms\n"
		pyArgs = ", auth=HTTPSignatureAuth(key=base64.b64decode(" + pw + "), key_id=" + user + ", signature_algorithm=algorithms.HMAC_SHA256)"
		jsAuth = "{ type: 'httpsig', keyId: " + user + ", key: Uint8Array.from(atob(" + pw + "), (c) => c.charCodeAt(0)) }"
		goAuth = "authlib.HTTPSig{KeyID: " + user + ", Key: authlib.HMACSHA256(secret)}"
		goVar = "secret, _ := base64.StdEncoding.DecodeString(" + pw + ")\n"
	case OAuth1:
		tokKey := strconv.Quote(f.OAuth1Token())
		pyHead = "from requests_oauthlib import OAuth1\n"
		pyArgs = ", auth=OAuth1(" + user + ", client_secret=" + pw + ", resource_owner_key=" + tokKey + ", resource_owner_secret=" + tok + ")"
		jsAuth = "{ type: 'oauth1', clientKey: " + user + ", clientSecret: " + pw + ", resourceOwnerKey: " + tokKey + ", resourceOwnerSecret: " + tok + " }"
		goAuth = "authlib.OAuth1{ClientKey: " + user + ", ClientSecret: " + pw + ", ResourceOwnerKey: " + tokKey + ", ResourceOwnerSecret: " + tok + "}"
	case Token:
		pyHead = "from requests.auth import AuthBase\n\n" +
			"class TokenAuth(AuthBase):\n    def __init__(self, token):\n        self.token = token\n\n" +
			"    def __call__(self, r):\n        r.headers[\"X-TokenAuth\"] = self.token\n        return r\n"
		pyArgs = ", auth=TokenAuth(" + tok + ")"
		jsAuth = "(request) => { request.headers.set('X-TokenAuth', " + tok + "); }"
		goAuth = "authlib.HeaderAuth{Name: \"X-TokenAuth\", Value: " + tok + "}"
	}

	if f.Scheme == OAuth {
		return oauthCode(f, m)
	}
	method, body := f.RequestMethod(), f.RequestBody()
	qBody := strconv.Quote(m.Text(body))
	pyData := ""
	var call []string // the fetch init, but for auth
	if method != "GET" {
		call = append(call, "method: '"+method+"'")
	}
	if body != "" {
		pyData = ", data=" + qBody
		call = append(call, "body: "+qBody)
	}
	initOf := func(e []string) string {
		if len(e) == 0 {
			return ""
		}
		return ", { " + strings.Join(e, ", ") + " }"
	}
	python = "import requests\n" + pyHead + "\n" + pyVar + "r = requests." + strings.ToLower(method) + "(" + pyURL + pyData + pyArgs + ")\nprint(r.status_code)"
	js = "import { load } from './authlib.mjs';\nconst authlib = await load();\n\n" + jsVar
	if f.Keep && jsAuth != "" {
		// As the page does: one client, which keeps a Digest nonce.
		js += "const client = authlib.client({ auth: " + jsAuth + " });\n" +
			"const res = await client.fetch(" + jsURL + initOf(call) + ");\nconsole.log(res.status);"
	} else {
		if jsAuth != "" {
			call = append(call, "auth: "+jsAuth)
		}
		js += "const res = await authlib.fetch(" + jsURL + initOf(call) + ");\nconsole.log(res.status);"
	}
	authLine := ""
	if goAuth != "nil" {
		authLine = "\tAuth:      " + goAuth + ",\n"
	}
	std := "\t\"context\"\n\t\"fmt\"\n"
	if f.Scheme == HTTPSig {
		std = "\t\"context\"\n\t\"encoding/base64\"\n\t\"fmt\"\n"
	}
	goCode = "import (\n" + std + "\n\t\"github.com/authlib-go/authlib/authlib\"\n" +
		"\t\"github.com/authlib-go/authlib/authlib/fetch\" // authlib/nethttp outside the browser\n)\n\n" + goVar +
		"c := &authlib.Client{\n\tTransport: &fetch.Transport{}, // &nethttp.Transport{} outside the browser\n" +
		authLine + "}\n" +
		goSend(method, body, goURL, m) + "if err != nil {\n\treturn err\n}\ndefer res.Body.Close()\nfmt.Println(res.StatusCode)"
	return python, js, goCode
}

// goSend is the Go that sends the request: c.Get, or a Request for
// another method or a body.
func goSend(method, body, goURL string, m *Masker) string {
	if method == "GET" && body == "" {
		return "res, err := c.Get(context.Background(), " + goURL + ")\n"
	}
	b := "nil"
	if body != "" {
		b = "[]byte(" + strconv.Quote(m.Text(body)) + ")"
	}
	return "req, err := authlib.NewRequest(context.Background(), " + strconv.Quote(method) + ", " + goURL + ", " + b + ")\n" +
		"if err != nil {\n\treturn err\n}\nres, err := c.Do(req)\n"
}

// secret masks a whole credential value.
func (m *Masker) secret(s string) string {
	if m.Reveal || s == "" {
		return s
	}
	return Dots
}

// oauthCode is the OAuth flow of the form in the three languages.
func oauthCode(f *Form, m *Masker) (python, js, goCode string) {
	qURL := strconv.Quote(m.Text(f.Target()))
	id := strconv.Quote(f.Username)
	sec := strconv.Quote(m.secret(f.Password))
	issuer := strconv.Quote(strings.TrimSuffix(f.MockBase, "/"))
	switch f.Flow {
	case FlowDevice:
		python = "# requests-oauthlib has no device flow; authlib does."
		js = "const token = await authlib.oauth2.device({ issuer: " + issuer + ", clientId: " + id + ",\n" +
			"  onCode: (c) => console.log('open', c.verification_uri, 'and enter', c.user_code) });\n" +
			"const api = authlib.client({ auth: { type: 'oauth2', issuer: " + issuer + ", clientId: " + id + ", token, onToken: save } });\n" +
			"const res = await api.fetch(" + qURL + ");"
		goCode = "c := &oauth2.Config{Issuer: " + issuer + ", ClientID: " + id + ", Transport: &fetch.Transport{}}\n" +
			"d, err := c.DeviceAuth(ctx) // show d.UserCode and d.VerificationURI\n" +
			"tok, err := c.DeviceToken(ctx, d)\n" +
			"api := &authlib.Client{Transport: &fetch.Transport{}, Auth: &oauth2.Auth{Source: oauth2.NewSource(c, tok)}}\n" +
			"res, err := api.Get(ctx, " + qURL + ")"
	case FlowPKCE:
		python = "from requests_oauthlib import OAuth2Session\n\n" +
			"s = OAuth2Session(" + id + ", redirect_uri=REDIRECT_URI, pkce=\"S256\")\n" +
			"url, state = s.authorization_url(" + strconv.Quote(m.Text(strings.TrimSuffix(f.MockBase, "/")+"/oauth/authorize")) + ")\n" +
			"# ...the user logs in and comes back to REDIRECT_URI...\n" +
			"s.fetch_token(TOKEN_URL, authorization_response=callback_url)\nprint(s.get(" + qURL + ").status_code)"
		js = "const login = { issuer: " + issuer + ", clientId: " + id + ", redirectURI: location.href };\n" +
			"const { url, state, codeVerifier } = await authlib.oauth2.authorize(login);\n" +
			"sessionStorage.setItem('login', JSON.stringify({ state, codeVerifier }));\nlocation.assign(url);\n" +
			"// ...and back on this page:\n" +
			"const token = await authlib.oauth2.exchange({ ...login, ...JSON.parse(sessionStorage.getItem('login')), callback: location.href });"
		goCode = "c := &oauth2.Config{Issuer: " + issuer + ", ClientID: " + id + ", RedirectURL: redirect, Transport: &fetch.Transport{}}\n" +
			"state, verifier := oauth2.NewState(), oauth2.NewVerifier()\n" +
			"url, err := c.AuthCodeURL(state, verifier, nil) // send the browser there\n" +
			"tok, err := c.Exchange(ctx, callbackURL, state, verifier) // when it comes back"
	case FlowDPoP:
		python = "# requests-oauthlib has neither DPoP nor PAR; authlib has both."
		js = "const login = { issuer: " + issuer + ", clientId: " + id + ", redirectURI: location.href, dpop: true, par: true };\n" +
			"const { url, state, codeVerifier, dpopKey } = await authlib.oauth2.authorize(login);\n" +
			"await keep({ state, codeVerifier, dpopKey }); // IndexedDB: a CryptoKeyPair outlives the page there\n" +
			"location.assign(url);\n// ...and back on this page:\n" +
			"const { state, codeVerifier, dpopKey } = await kept();\n" +
			"const token = await authlib.oauth2.exchange({ ...login, dpop: dpopKey, state, codeVerifier, callback: location.href });\n" +
			"const api = authlib.client({ auth: { type: 'oauth2', ...login, dpop: dpopKey, token } });\n" +
			"const res = await api.fetch(" + qURL + ");"
		goCode = "c := &oauth2.Config{Issuer: " + issuer + ", ClientID: " + id + ", RedirectURL: redirect, Transport: &fetch.Transport{},\n" +
			"\tDPoP: &oauth2.DPoP{Key: key, JWK: jwk}} // key: an authlib.Signer over a WebCrypto key pair\n" +
			"state, verifier := oauth2.NewState(), oauth2.NewVerifier()\n" +
			"url, err := c.PushAuthCodeURL(ctx, state, verifier, nil) // PAR, with a proof; send the browser there\n" +
			"tok, err := c.Exchange(ctx, callbackURL, state, verifier) // a DPoP token, bound to the key\n" +
			"api := &authlib.Client{Transport: &fetch.Transport{}, Auth: &oauth2.Auth{Source: oauth2.NewSource(c, tok)}}"
	default:
		python = "from oauthlib.oauth2 import BackendApplicationClient\nfrom requests_oauthlib import OAuth2Session\n\n" +
			"s = OAuth2Session(client=BackendApplicationClient(client_id=" + id + "))\n" +
			"s.fetch_token(token_url=" + strconv.Quote(strings.TrimSuffix(f.MockBase, "/")+"/oauth/token") + ", client_id=" + id + ", client_secret=" + sec + ")\n" +
			"print(s.get(" + qURL + ").status_code)"
		js = "const api = authlib.client({ auth: { type: 'oauth2', issuer: " + issuer + ", clientId: " + id + ", clientSecret: " + sec + " } });\n" +
			"const res = await api.fetch(" + qURL + ");\nconsole.log(res.status);"
		goCode = "c := &oauth2.Config{Issuer: " + issuer + ", ClientID: " + id + ", ClientSecret: " + sec + ", Transport: &fetch.Transport{}}\n" +
			"api := &authlib.Client{Transport: &fetch.Transport{}, Auth: &oauth2.Auth{Source: oauth2.NewSource(c, nil)}}\n" +
			"res, err := api.Get(ctx, " + qURL + ")"
	}
	return python, js, goCode
}
