package ascii

import "testing"

func TestEqualFoldFoldsASCIILettersAlone(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Digest", "digest", true}, {"BASIC", "basic", true}, {"", "", true}, {"Bearer", "Bearer ", false},
		{"k", "\u212a", false}, // the Kelvin sign: strings.EqualFold says true
		{"ſ", "s", false}, {"[", "{", false}, {"@", "`", false},
	} {
		if got := EqualFold(tc.a, tc.b); got != tc.want {
			t.Errorf("EqualFold(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
	if Lower("Content-TYPE İ") != "content-type İ" {
		t.Error(Lower("Content-TYPE İ"))
	}
}
