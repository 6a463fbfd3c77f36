package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"sort"
	"strings"
)

// pkgSize is the code of one Go package in a wasm binary.
type pkgSize struct {
	Pkg   string
	Bytes int
}

// codeByPackage reads a Go wasm binary built with its name section (no
// -ldflags=-s) and adds up the function bodies of each package; data
// (strings, type information) is reported as "(data)".
func codeByPackage(wasm []byte) ([]pkgSize, int, error) {
	funcs, data, err := readFuncs(wasm)
	if err != nil {
		return nil, 0, err
	}
	sums := map[string]int{}
	for _, f := range funcs {
		sums[pkgOf(f.name)] += len(f.body)
	}
	sums["(data)"] = data
	var out []pkgSize
	total := 0
	for p, s := range sums {
		out = append(out, pkgSize{p, s})
		total += s
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Bytes > out[j].Bytes })
	return out, total, nil
}

// A schemeSize is the code of one signing scheme: its functions' bodies,
// and those gzipped (-9) by themselves.
type schemeSize struct {
	Scheme      string
	Funcs, Code int
	Gzip        int
}

// schemes name the code of each signing scheme by its functions' names
// (Go's, as the name section spells them): the core's types and helpers,
// the codec's readers and the JS API's glue. Hashes go with the scheme
// that alone needs them.
var schemes = []struct {
	name string
	has  func(sym string) bool
}{
	{"AWS Signature V4", func(s string) bool { return strings.Contains(strings.ToLower(s), "aws") }},
	{"OAuth 1.0a", func(s string) bool {
		return strings.Contains(strings.ToLower(s), "oauth1") || strings.Contains(s, "hashes.newSHA1") || strings.Contains(s, "hashes.sha1")
	}},
	{"HTTP Message Signatures (RFC 9421)", func(s string) bool {
		l := strings.ToLower(s)
		for _, w := range []string{"httpsig", "hmacsha256", "sfstring", "sfparam", "componentvalue", "contentdigest", "splitdictionary", "jssigner", "hmacsum"} {
			if strings.Contains(l, w) {
				return true
			}
		}
		return false
	}},
	{"netrc", func(s string) bool { return strings.Contains(strings.ToLower(s), "netrc") }},
}

// codeByScheme adds up the function bodies of each of schemes in a Go
// wasm binary built with its name section.
func codeByScheme(wasm []byte) ([]schemeSize, error) {
	funcs, _, err := readFuncs(wasm)
	if err != nil {
		return nil, err
	}
	var out []schemeSize
	for _, sc := range schemes {
		var code []byte
		n := 0
		for _, f := range funcs {
			if sc.has(f.name) {
				code = append(code, f.body...)
				n++
			}
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(code)
		zw.Close()
		out = append(out, schemeSize{sc.name, n, len(code), gz.Len()})
	}
	return out, nil
}

// A wasmFunc is one function of a wasm binary: its name and body.
type wasmFunc struct {
	name string
	body []byte
}

// readFuncs returns the functions of a wasm binary with a name section,
// and the size of its data section.
func readFuncs(wasm []byte) ([]wasmFunc, int, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, 0, errors.New("not a wasm binary")
	}
	r := &reader{b: wasm, i: 8}
	var imported int
	var bodies [][]byte
	names := map[int]string{}
	data := 0
	for r.i < len(r.b) {
		id := r.byte()
		size := int(r.uleb())
		end := r.i + size
		switch id {
		case 2: // imports: functions count in the index space first
			n := int(r.uleb())
			for k := 0; k < n; k++ {
				r.name()
				r.name()
				kind := r.byte()
				switch kind {
				case 0:
					r.uleb()
					imported++
				case 1:
					r.byte()
					r.limits()
				case 2:
					r.limits()
				case 3:
					r.byte()
					r.byte()
				}
			}
		case 10: // code
			n := int(r.uleb())
			for k := 0; k < n; k++ {
				sz := int(r.uleb())
				bodies = append(bodies, r.b[r.i:r.i+sz])
				r.i += sz
			}
		case 11:
			data += size
		case 0:
			if r.name() == "name" {
				for r.i < end {
					sub := r.byte()
					subSize := int(r.uleb())
					subEnd := r.i + subSize
					if sub == 1 {
						n := int(r.uleb())
						for k := 0; k < n; k++ {
							idx := int(r.uleb())
							names[idx] = r.name()
						}
					}
					r.i = subEnd
				}
			}
		}
		r.i = end
	}
	if len(names) == 0 {
		return nil, 0, errors.New("no name section: build without -ldflags=-s for the breakdown")
	}
	funcs := make([]wasmFunc, len(bodies))
	for k, b := range bodies {
		funcs[k] = wasmFunc{names[imported+k], b}
	}
	return funcs, data, nil
}

// pkgOf returns the package path of a Go symbol such as
// "github.com/a/b.(*T).M" or "fmt.Sprintf".
//
// The name section spells packages mangled ("net_url.__URL_.String" for
// net/url.(*URL).String, "github.com_a_b.F"): the package is everything
// before the first dot that does not belong to a domain name.
func pkgOf(sym string) string {
	if sym == "" {
		return "(unnamed)"
	}
	start := 0
	for _, d := range []string{".com_", ".org_", ".co_", ".io_", ".dev_", ".net_", ".in_"} {
		if i := strings.Index(sym, d); i >= 0 && !strings.Contains(sym[:i], ".") {
			start = i + len(d)
			break
		}
	}
	dot := strings.Index(sym[start:], ".")
	if dot < 0 {
		return sym
	}
	return sym[:start+dot]
}

type reader struct {
	b []byte
	i int
}

func (r *reader) byte() byte { c := r.b[r.i]; r.i++; return c }

func (r *reader) uleb() uint64 {
	v, n := binary.Uvarint(r.b[r.i:])
	r.i += n
	return v
}

func (r *reader) name() string {
	n := int(r.uleb())
	s := string(r.b[r.i : r.i+n])
	r.i += n
	return s
}

func (r *reader) limits() {
	if r.byte()&1 == 1 {
		r.uleb()
	}
	r.uleb()
}
