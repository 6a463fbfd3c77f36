package authlib

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
)

// OAuth1Token is a token and its secret as an OAuth 1.0a endpoint answers
// them, with the other fields it sent (X's user_id and screen_name).
type OAuth1Token struct {
	Token  string // oauth_token
	Secret string // oauth_token_secret
	Extra  map[string]string
}

// Format masks the token and its secret.
func (t OAuth1Token) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.OAuth1Token", "Token", "[redacted]", "Secret", "[redacted]")
}

// RequestToken is the first leg of the three-legged flow
// (requests-oauthlib's fetch_request_token): a POST to the temporary
// credentials endpoint, signed by o with oauth_callback (o.Callback, "oob"
// when empty), through tr. The token it returns goes to
// [OAuth1AuthorizationURL], then with its secret to [OAuth1.AccessToken].
func (o OAuth1) RequestToken(ctx context.Context, tr Transport, endpoint string) (OAuth1Token, error) {
	if o.Callback == "" {
		o.Callback = "oob"
	}
	o.ResourceOwnerKey, o.ResourceOwnerSecret, o.Verifier = "", "", ""
	tok, err := o.tokenRequest(ctx, tr, endpoint)
	if err == nil && tok.Extra["oauth_callback_confirmed"] != "true" {
		err = &Error{Kind: ErrInvalidCredentials, Op: "oauth1", Detail: "the request token's answer lacks oauth_callback_confirmed=true (an OAuth 1.0 server, not 1.0a)"}
	}
	return tok, err
}

// AccessToken is the last leg (fetch_access_token): the request token
// (o.ResourceOwnerKey and o.ResourceOwnerSecret) and the verifier the user
// came back with, exchanged for the access token.
func (o OAuth1) AccessToken(ctx context.Context, tr Transport, endpoint, verifier string) (OAuth1Token, error) {
	if o.ResourceOwnerKey == "" || verifier == "" {
		return OAuth1Token{}, credentialError("oauth1", "the access token needs the request token (ResourceOwnerKey and its secret) and the verifier")
	}
	o.Verifier, o.Callback = verifier, ""
	return o.tokenRequest(ctx, tr, endpoint)
}

// OAuth1AuthorizationURL is where the user goes to approve the request
// token: endpoint with oauth_token added (authorization_url).
func OAuth1AuthorizationURL(endpoint, token string) (string, error) {
	u, err := ParseURL(endpoint)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("oauth_token", token)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// ParseOAuth1Callback reads the URL the user came back to
// (parse_authorization_response): its oauth_token and oauth_verifier.
func ParseOAuth1Callback(callback string) (token, verifier string, err error) {
	u, err := url.Parse(callback)
	if err != nil {
		return "", "", &Error{Kind: ErrInvalidURL, Op: "oauth1", Detail: "the callback URL cannot be parsed"}
	}
	q := u.Query()
	token, verifier = q.Get("oauth_token"), q.Get("oauth_verifier")
	if token == "" || verifier == "" {
		return "", "", &Error{Kind: ErrInvalidCredentials, Op: "oauth1", Detail: "the callback URL lacks oauth_token or oauth_verifier (did the user deny access?)"}
	}
	return token, verifier, nil
}

// tokenRequest POSTs a signed request to endpoint and reads the token of
// its form-encoded answer.
func (o OAuth1) tokenRequest(ctx context.Context, tr Transport, endpoint string) (OAuth1Token, error) {
	req, err := NewRequest(ctx, "POST", endpoint, nil)
	if err != nil {
		return OAuth1Token{}, err
	}
	c := &Client{Transport: tr, Auth: o}
	res, err := c.Do(req)
	if err != nil {
		return OAuth1Token{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil {
		return OAuth1Token{}, &Error{Kind: ErrNetwork, Op: "oauth1", URL: RedactURL(req.URL), Detail: "the answer cannot be read", Err: err}
	}
	if res.StatusCode != 200 {
		return OAuth1Token{}, &Error{Kind: ErrInvalidCredentials, Op: "oauth1", URL: RedactURL(req.URL), Detail: "the token endpoint answered " + strconv.Itoa(res.StatusCode)}
	}
	tok := OAuth1Token{Extra: map[string]string{}}
	for _, p := range parseForm(string(body)) {
		switch p[0] {
		case "oauth_token":
			tok.Token = p[1]
		case "oauth_token_secret":
			tok.Secret = p[1]
		default:
			tok.Extra[p[0]] = p[1]
		}
	}
	if tok.Token == "" || tok.Secret == "" {
		return OAuth1Token{}, &Error{Kind: ErrInvalidCredentials, Op: "oauth1", URL: RedactURL(req.URL), Detail: "the answer lacks oauth_token or oauth_token_secret"}
	}
	return tok, nil
}
