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
		url = dquote(before+"/") + "$" + name + dquote(after)
	}
	def := ""
	if secret != "" && (f.Scheme != None || strings.Contains(target, "/"+secret)) {
		def = name + "=" + squote(m.secret(secret)) + "\n"
	}
	user := squote(f.Username)
	switch f.Scheme {
	case Basic:
		return def + "curl -i -u " + user + `":$password" ` + url
	case Digest:
		return def + "curl -i --digest -u " + user + `":$password" ` + url
	case Bearer:
		return def + `curl -i -H "Authorization: Bearer $token" ` + url
	case Token:
		return def + `curl -i -H "X-TokenAuth: $token" ` + url
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

// dquote quotes s for a POSIX shell inside double quotes, so that a
// variable can stand beside it; "" for an empty s.
func dquote(s string) string {
	if s == "" {
		return ""
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return `"` + r.Replace(s) + `"`
}
