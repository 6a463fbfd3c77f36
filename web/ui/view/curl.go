package view

import "strings"

// Curl returns the request as a curl command line for a POSIX shell, with
// the secret in a variable (masked unless m reveals it) and -i, so that
// the status and the challenge show.
func Curl(f *Form, m *Masker) string {
	target := f.Target()
	name, secret := "password", f.Password
	if f.Scheme == Bearer || f.Scheme == Token {
		name, secret = "token", f.Token
	}
	url := dquote(target)
	if before, after, ok := strings.Cut(target, "/"+secret); ok && secret != "" {
		url = `"` + shellEscape(before+"/") + "${" + name + "}" + shellEscape(after) + `"`
	}
	def := ""
	if secret != "" && (f.Scheme != None || strings.Contains(target, "/"+secret)) {
		def = name + "=" + squote(m.secret(secret)) + "\n"
	}
	if meth := f.RequestMethod(); meth != "GET" {
		if b := f.RequestBody(); b != "" {
			if meth != "POST" {
				url = "-X " + meth + " " + url
			}
			url = "--data-binary " + squote(m.Text(b)) + " " + url
		} else {
			url = "-X " + meth + " " + url
		}
	}
	user := squote(f.Username)
	userpass := `"` + shellEscape(f.Username) + `:${password}"`
	switch f.Scheme {
	case Basic:
		return def + "curl -i -u " + userpass + " " + url
	case Digest:
		return def + "curl -i --digest -u " + userpass + " " + url
	case Bearer:
		return def + `curl -i -H "Authorization: Bearer $token" ` + url
	case Token:
		return def + `curl -i -H "X-TokenAuth: $token" ` + url
	case OAuth1:
		return "# curl has no OAuth 1.0a: it signs nothing but AWS SigV4. Sign with the code above."
	case HTTPSig:
		return "# curl has no HTTP Message Signatures (RFC 9421): it signs nothing but AWS SigV4. Sign with the code above."
	case AWS:
		region, service := f.AWSScope()
		sig := "aws:amz"
		if region != "" {
			sig += ":" + region + ":" + service
		}
		return "secret=" + squote(m.secret(f.Password)) + "\n" +
			"curl -i --aws-sigv4 " + squote(sig) + ` -u "` + shellEscape(f.Username) + `:${secret}" ` + url
	case OAuth:
		api := `curl -i -H "Authorization: Bearer $token" ` + url
		if f.Flow != FlowClient && f.Flow != "" {
			return "# curl has no device or PKCE flow: get the token as the code above does, then\n" + api
		}
		tokenURL := dquote(strings.TrimSuffix(f.MockBase, "/") + "/oauth/token")
		if !f.Mock {
			tokenURL = `"$TOKEN_URL"`
		}
		return "secret=" + squote(m.secret(f.Password)) + "\n" +
			"# The secret goes in the body (client_secret_post), form-encoded by --data-urlencode.\n" +
			"token=$(curl -s -d grant_type=client_credentials -d scope=read:user --data-urlencode client_id=" + user +
			` --data-urlencode "client_secret=$secret" ` + tokenURL + " |\n" +
			`  sed -n 's/.*"access_token": *"\([^"]*\)".*/\1/p')` + "\n" + api
	}
	return def + "curl -i " + url
}

// squote quotes s for a POSIX shell, literally.
func squote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// dquote quotes s for a POSIX shell in double quotes.
func dquote(s string) string { return `"` + shellEscape(s) + `"` }

// shellEscape escapes what is special inside a shell's double quotes.
func shellEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(s)
}
