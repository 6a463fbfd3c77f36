package oauth2

import (
	"context"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// ResourceMetadata is what a protected resource says of itself (RFC 9728
// §2): the fields authlib uses, and the whole document in JSON.
type ResourceMetadata struct {
	Resource string // the resource identifier, an https URL
	// AuthorizationServers are the issuers whose tokens it takes.
	AuthorizationServers []string
	ScopesSupported      []string
	// DPoPBoundAccessTokensRequired: it takes DPoP-bound tokens only.
	DPoPBoundAccessTokensRequired bool
	JSON                          string
}

// DiscoverResource reads the metadata of the protected resource at
// resource, the URL a request was made to (RFC 9728): from the
// resource_metadata that challenge, its 401 answer, names in
// WWW-Authenticate (§5.1), or else from /.well-known/oauth-protected-resource
// inserted into resource before its path (§3.1). challenge may be nil.
//
// The metadata's resource must be resource itself, and the URL that got
// challenge must be within it (see [authlib.WithinResource]), as §3.3
// requires: a
// resource that names another one (a server that could steer the client's
// login to an authorization server of its choosing) is refused with
// [ErrMetadata]. So is metadata without an authorization server.
func DiscoverResource(ctx context.Context, tr authlib.Transport, resource string, challenge *authlib.Response) (*ResourceMetadata, error) {
	const op = "oauth2 discover resource"
	u, err := authlib.ParseURL(resource)
	if err != nil {
		return nil, err
	}
	if u.Fragment != "" {
		return nil, &authlib.Error{Kind: ErrMetadata, Op: op, Detail: "a resource identifier has no fragment (RFC 8707 §2)"}
	}
	where := ""
	if challenge != nil {
		cs, _ := authlib.ParseChallenges(challenge.Header.Values("WWW-Authenticate")...)
		for _, c := range cs {
			if v, ok := c.Param("resource_metadata"); ok && where == "" {
				where = v
			}
		}
	}
	// §3.1: the well-known segment goes between the host and the path, a
	// final "/" of the path dropped; the query stays. Without a path's,
	// the origin's (as the MCP authorization spec orders it), which is
	// the metadata of the origin as a resource.
	root := u.Scheme + "://" + u.Host + "/.well-known/oauth-protected-resource"
	tries := []string{where}
	if where == "" {
		tries[0] = root + strings.TrimSuffix(u.EscapedPath(), "/")
		if u.RawQuery != "" {
			tries[0] += "?" + u.RawQuery
		}
		if tries[0] != root {
			tries = append(tries, root)
		}
	}
	var body string
	for _, try := range tries {
		where = try
		if body, err = fetchResourceMetadata(ctx, tr, where); err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	f, err := parseObject(body)
	if err != nil {
		return nil, &authlib.Error{Kind: ErrMetadata, Op: op, URL: redact(where), Detail: "the resource metadata is not a JSON object"}
	}
	m := &ResourceMetadata{Resource: f.str("resource"), JSON: body,
		DPoPBoundAccessTokensRequired: f["dpop_bound_access_tokens_required"] == field{text: "true"}}
	switch {
	case where == root && len(tries) > 1:
		// The origin's metadata: for the origin, which holds resource.
		if r, err := authlib.ParseURL(m.Resource); err != nil || r.EscapedPath() != "" && r.EscapedPath() != "/" || !authlib.WithinResource(m.Resource, u) {
			return nil, &authlib.Error{Kind: ErrMetadata, Op: op, URL: redact(where), Detail: "the origin's metadata is for another resource than the origin (RFC 9728 §3.3)"}
		}
	case m.Resource != resource:
		return nil, &authlib.Error{Kind: ErrMetadata, Op: op, URL: redact(where), Detail: "the metadata is for another resource than the URL asked (RFC 9728 §3.3)"}
	}
	if challenge != nil && challenge.Request != nil && !authlib.WithinResource(m.Resource, challenge.Request.URL) {
		// §3.3: metadata named by a 401 is for the URL that answered; a
		// server that names another resource's would steer that
		// resource's token to itself.
		return nil, &authlib.Error{Kind: ErrMetadata, Op: op, URL: redact(where), Detail: "the metadata a 401 names is for a resource the URL that answered is not within (RFC 9728 §3.3)"}
	}
	for _, list := range [...]struct {
		name string
		dst  *[]string
	}{{"authorization_servers", &m.AuthorizationServers}, {"scopes_supported", &m.ScopesSupported}} {
		if v, has := f.get(list.name); has {
			if *list.dst, err = stringList(v.text); err != nil {
				return nil, &authlib.Error{Kind: ErrMetadata, Op: op, URL: redact(where), Detail: list.name + " is not a list of strings"}
			}
		}
	}
	if len(m.AuthorizationServers) == 0 {
		return nil, &authlib.Error{Kind: ErrMetadata, Op: op, URL: redact(where), Detail: "the resource names no authorization server"}
	}
	return m, nil
}

// fetchResourceMetadata GETs the metadata document at where.
func fetchResourceMetadata(ctx context.Context, tr authlib.Transport, where string) (string, error) {
	const op = "oauth2 discover resource"
	mu, err := authlib.ParseURL(where)
	if err != nil {
		return "", err
	}
	req, err := authlib.NewRequest(ctx, "GET", mu.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/json")
	res, err := (&authlib.Client{Transport: tr, MaxRedirects: -1}).Do(req)
	if err != nil {
		return "", err
	}
	body, err := readBody(res)
	if err != nil || res.StatusCode != 200 {
		return "", &authlib.Error{Kind: ErrMetadata, Op: op, URL: redact(where), Detail: "no resource metadata there"}
	}
	return body, nil
}

// stringList reads a JSON array of strings of printable ASCII.
func stringList(text string) ([]string, error) {
	p := &jsonParser{s: text}
	var out []string
	if !p.next('[') {
		return nil, errNotList
	}
	for !p.next(']') {
		if len(out) > 0 && !p.next(',') {
			return nil, errNotList
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, errNotList
		}
		s, err := p.str()
		if err != nil || !printable(s) {
			return nil, errNotList
		}
		out = append(out, s)
	}
	return out, nil
}

var errNotList = &authlib.Error{Kind: ErrMetadata, Op: "oauth2 metadata", Detail: "not a list of strings"}
