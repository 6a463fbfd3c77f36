package authlib

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Retry says when and how a Client sends a request again after a network
// error or a 429, 502, 503 or 504 response. Only idempotent methods (GET,
// HEAD, OPTIONS, TRACE, PUT, DELETE) are retried unless NonIdempotent is
// set. The wait grows exponentially from Base up to Cap, with jitter; a
// Retry-After field (seconds or an HTTP date) sets it instead, and one
// longer than MaxRetryAfter ends the retries, giving the caller the
// response. When the context deadline would pass before the next attempt,
// the Client stops at once.
type Retry struct {
	Max           int           // retries after the first attempt
	Base          time.Duration // first wait; 0 means 200ms
	Cap           time.Duration // longest computed wait; 0 means 10s
	MaxRetryAfter time.Duration // longest Retry-After honoured; 0 means 60s
	NonIdempotent bool          // also retry POST, PATCH and other methods

	// Rand returns a number in [0, 1) for jitter; nil means math/rand.
	Rand func() float64
	// Now is the clock for HTTP-date Retry-After values; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx ends; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (r *Retry) allows(method string, attempt int) bool {
	if r == nil || attempt >= r.Max {
		return false
	}
	if r.NonIdempotent {
		return true
	}
	switch method {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return false
}

func retryableStatus(code int) bool {
	return code == 429 || code == 502 || code == 503 || code == 504
}

// wait returns how long to wait before retry number attempt+1, and false
// when Retry-After asks for longer than MaxRetryAfter.
func (r *Retry) wait(attempt int, res *Response) (time.Duration, bool) {
	if res != nil {
		if d, ok := r.retryAfter(res.Header.Get("Retry-After")); ok {
			limit := r.MaxRetryAfter
			if limit == 0 {
				limit = 60 * time.Second
			}
			return d, d <= limit
		}
	}
	base, limit := r.Base, r.Cap
	if base == 0 {
		base = 200 * time.Millisecond
	}
	if limit == 0 {
		limit = 10 * time.Second
	}
	d := base
	for i := 0; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	rnd := rand.Float64
	if r.Rand != nil {
		rnd = r.Rand
	}
	// Half fixed, half random: spread out, never zero.
	return d/2 + time.Duration(rnd()*float64(d/2)), true
}

// retryAfter parses Retry-After as delay-seconds or an HTTP date.
func (r *Retry) retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		// delta-seconds: one too large to count (2³² s and more) asks for
		// longer than any limit, and is no reason to retry at once.
		if n, err := strconv.ParseUint(v, 10, 32); err == nil {
			return time.Duration(n) * time.Second, true
		}
		return time.Duration(math.MaxInt64), true
	}
	t, ok := parseHTTPDate(v)
	if !ok {
		return 0, false
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	return max(t.Sub(now()), 0), true
}

func (r *Retry) sleep(ctx context.Context, d time.Duration) error {
	if r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	return Sleep(ctx, d)
}

// Sleep waits d, or until ctx ends and then returns its error. It is what
// a nil Sleep field means ([Retry.Sleep], and oauth2's Config.Sleep).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// parseHTTPDate reads the three HTTP-date forms of RFC 9110 §5.6.7:
// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete RFC 850
// "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994".
// It is written out rather than done with time.Parse, whose layout
// machinery would cost the wasm binary about 14 KB gzipped.
func parseHTTPDate(s string) (time.Time, bool) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '-' })
	var day, month, year, clock string
	switch {
	case len(f) == 6 && f[5] == "GMT": // IMF-fixdate and RFC 850
		day, month, year, clock = f[1], f[2], f[3], f[4]
		if len(year) == 2 { // RFC 850: a two-digit year within 50 years
			year = "20" + year
			if y, _ := strconv.Atoi(year); y > time.Now().Year()+50 {
				year = strconv.Itoa(y - 100)
			}
		}
	case len(f) == 5: // asctime
		month, day, clock, year = f[1], f[2], f[3], f[4]
	default:
		return time.Time{}, false
	}
	m := 0
	for i, name := range months {
		if month == name {
			m = i + 1
		}
	}
	d, err1 := strconv.Atoi(day)
	y, err2 := strconv.Atoi(year)
	hms := strings.Split(clock, ":")
	if m == 0 || err1 != nil || err2 != nil || len(hms) != 3 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	var t [3]int
	for i, p := range hms {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) != 2 || n < 0 || n > []int{23, 59, 60}[i] {
			return time.Time{}, false
		}
		t[i] = n
	}
	return time.Date(y, time.Month(m), d, t[0], t[1], t[2], 0, time.UTC), true
}
