package view

import (
	"strconv"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// Hop is one exchange as the page's history of sends tells it.
type Hop struct {
	Method        string
	Status        int    // 0 when the request failed
	Authorization string // the Authorization sent, if any
	Challenge     []string
}

// Send is one press of Send: its exchanges, and whether the page made a
// new client for it (a new client has no nonce to reuse).
type Send struct {
	N         int
	NewClient bool
	Hops      []Hop
}

// Line tells a send in one line, such as
//
//	Send 2 (same client): GET with Digest nc=00000002 → 200 OK
//
// so that a reused Digest nonce shows: the first send meets a challenge,
// the next ones answer at once with a growing nonce count.
func (s Send) Line(m *Masker) string {
	who := "same client"
	if s.NewClient {
		who = "new client"
	}
	parts := make([]string, 0, len(s.Hops))
	for _, h := range s.Hops {
		p := h.Method + " " + credentialWords(h.Authorization, m) + " → "
		switch {
		case h.Status == 0:
			p += "failed"
		case (h.Status == 401 || h.Status == 407) && len(h.Challenge) > 0:
			p += Status(h.Status) + ", a challenge" + nonceWords(h.Challenge)
		default:
			p += Status(h.Status)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing sent")
	}
	return "Send " + strconv.Itoa(s.N) + " (" + who + "): " + strings.Join(parts, "; then ")
}

// credentialWords says what credentials a request carried: "with Digest
// nc=00000002 (nonce 3ZkHPCv4…)", "with Basic", "without credentials".
func credentialWords(auth string, m *Masker) string {
	if auth == "" {
		return "without credentials"
	}
	c, err := authlib.ParseCredentials(auth)
	if err != nil {
		return "with credentials"
	}
	s := "with " + c.Scheme
	if nc, ok := c.Param("nc"); ok {
		s += " nc=" + nc
	}
	if n, ok := c.Param("nonce"); ok {
		s += " (nonce " + short(m.Text(n)) + ")"
	}
	return s
}

// nonceWords names the nonce a Digest challenge offers.
func nonceWords(challenge []string) string {
	cs, _ := authlib.ParseChallenges(challenge...)
	for _, c := range cs {
		if n, ok := c.Param("nonce"); ok && c.Is("Digest") {
			return " (nonce " + short(n) + ")"
		}
	}
	return ""
}

func short(s string) string {
	if r := []rune(s); len(r) > 8 {
		return string(r[:8]) + "…"
	}
	return s
}
