package authlib

import (
	"testing"
	"time"
)

func TestParseHTTPDate(t *testing.T) {
	want := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	for _, s := range []string{"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"} {
		got, ok := parseHTTPDate(s)
		if !ok || !got.Equal(want) {
			t.Errorf("parseHTTPDate(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "120", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 8:49:37 GMT"} {
		if _, ok := parseHTTPDate(s); ok {
			t.Errorf("parseHTTPDate(%q) accepted", s)
		}
	}
}
