package view

import (
	"sort"
	"strings"
)

// BrowserAdds names the request headers a browser adds to a fetch that
// scripts can neither set nor see.
const BrowserAdds = "Host (shown), User-Agent, Accept-Encoding, Accept-Language, Origin, Referer, Connection, Sec-Fetch-*, sec-ch-ua*"

// Raw writes an exchange as HTTP/1.1 text: the request line, the headers
// authlib set and the request body, then the status line, the response
// headers the browser let the page read, and the body. Secrets are masked
// by m.
func Raw(method, url string, header map[string][]string, creds map[string]bool, reqBody string, status int, resHeader map[string][]string, body string, m *Masker) string {
	var b strings.Builder
	host, path := url, "/"
	if _, rest, ok := strings.Cut(url, "://"); ok {
		host = rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			host, path = rest[:i], rest[i:]
		}
	}
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path = path[:i]
	}
	b.WriteString(method + " " + m.Text(path) + " HTTP/1.1\nHost: " + host + "\n")
	for _, k := range sortedKeys(header) {
		for _, v := range header[k] {
			b.WriteString(HeaderName(k) + ": " + m.Header(k, v, creds[k]) + "\n")
		}
	}
	b.WriteString("# and what the browser adds, which scripts cannot see: " + BrowserAdds + "\n")
	if reqBody != "" {
		b.WriteString("\n" + m.Text(reqBody) + "\n")
	}
	if status == 0 {
		return b.String() + "\n# no response\n"
	}
	b.WriteString("\nHTTP/1.1 " + Status(status) + "\n")
	for _, k := range sortedKeys(resHeader) {
		for _, v := range resHeader[k] {
			b.WriteString(HeaderName(k) + ": " + m.Header(k, v, false) + "\n")
		}
	}
	if body != "" {
		b.WriteString("\n" + m.Text(body))
	}
	return b.String()
}

func sortedKeys(h map[string][]string) []string {
	ks := make([]string, 0, len(h))
	for k := range h {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
