package hashes

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"math"
	"math/big"
	"testing"
)

var pairs = []struct {
	name       string
	ours, std  func() hash.Hash
	size, blen int
}{
	{"MD5", newMD5, md5.New, 16, 64},
	{"SHA-1", newSHA1, sha1.New, 20, 64},
	{"SHA-256", newSHA256, sha256.New, 32, 64},
	{"SHA-512", newSHA512, sha512.New, 64, 128},
	{"SHA-512/256", newSHA512_256, sha512.New512_256, 32, 128},
}

// The examples of RFC 1321 §A.5 and FIPS 180-4's (csrc.nist.gov's example
// values for "abc" and the two-block messages).
func TestTheSpecificationsExamplesHashAsPublished(t *testing.T) {
	const long448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
	const long896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
	for _, tc := range []struct {
		h        func() hash.Hash
		in, want string
	}{
		{newMD5, "", "d41d8cd98f00b204e9800998ecf8427e"},
		{newMD5, "abc", "900150983cd24fb0d6963f7d28e17f72"},
		{newMD5, "message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
		{newMD5, "12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"},
		{newSHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{newSHA1, long448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
		{newSHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{newSHA256, long448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{newSHA512, "abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
		{newSHA512, long896, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
		{newSHA512_256, "abc", "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"},
	} {
		if got := hex.EncodeToString(Sum(tc.h, []byte(tc.in))); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.in, got, tc.want)
		}
	}
}

// Each hash agrees with crypto/*'s on every length around the block
// boundaries, written whole or in pieces, and Sum leaves it going on.
func TestEachHashAgreesWithTheStandardLibrary(t *testing.T) {
	msg := make([]byte, 600)
	for i := range msg {
		msg[i] = byte(i*131 + 7)
	}
	for _, p := range pairs {
		for n := 0; n <= len(msg); n++ {
			ours, std := p.ours(), p.std()
			ours.Write(msg[:n/3])
			mid := ours.Sum(nil)
			ours.Write(msg[n/3 : n])
			std.Write(msg[:n])
			if got, want := ours.Sum(nil), std.Sum(nil); !bytes.Equal(got, want) {
				t.Fatalf("%s of %d bytes: %x, want %x", p.name, n, got, want)
			}
			if want := Sum(p.std, msg[:n/3]); !bytes.Equal(mid, want) {
				t.Fatalf("%s: Sum midway: %x, want %x", p.name, mid, want)
			}
			if ours.Size() != p.size || ours.BlockSize() != p.blen {
				t.Fatalf("%s: sizes %d %d", p.name, ours.Size(), ours.BlockSize())
			}
			ours.Reset()
			if got, want := Sum(p.ours, nil), Sum(p.std, nil); !bytes.Equal(ours.Sum(nil), want) || !bytes.Equal(got, want) {
				t.Fatalf("%s: after Reset", p.name)
			}
		}
	}
}

// FuzzHashesAgreeWithTheStandardLibrary: any message, split anywhere.
func FuzzHashesAgreeWithTheStandardLibrary(f *testing.F) {
	f.Add([]byte("abc"), uint16(1))
	f.Add(bytes.Repeat([]byte{0xff}, 300), uint16(119))
	f.Fuzz(func(t *testing.T, msg []byte, cut uint16) {
		c := int(cut) % (len(msg) + 1)
		for _, p := range pairs {
			ours, std := p.ours(), p.std()
			ours.Write(msg[:c])
			ours.Write(msg[c:])
			std.Write(msg)
			if got, want := ours.Sum(nil), std.Sum(nil); !bytes.Equal(got, want) {
				t.Fatalf("%s: %x, want %x", p.name, got, want)
			}
		}
	})
}

// The tables are what FIPS 180-4 and RFC 1321 define, computed again here:
// exact roots of the primes with math/big, and SHA-512/256's initial value
// by the procedure of FIPS 180-4 §5.3.6 (SHA-512 with its initial value
// XORed with a5a5…, of the string "SHA-512/256").
func TestConstantsAreTheirDefinitions(t *testing.T) {
	var primes []int64
	for c := int64(2); len(primes) < 80; c++ {
		prime := true
		for _, p := range primes {
			prime = prime && c%p != 0
		}
		if prime {
			primes = append(primes, c)
		}
	}
	frac := func(p int64, k int) uint64 { // the first 64 bits of frac(p^(1/k))
		x := new(big.Int).Lsh(big.NewInt(p), uint(64*k))
		lo, hi := big.NewInt(0), new(big.Int).Lsh(big.NewInt(1), uint(x.BitLen()/k+2))
		for new(big.Int).Sub(hi, lo).Cmp(big.NewInt(1)) > 0 {
			mid := new(big.Int).Rsh(new(big.Int).Add(lo, hi), 1)
			if new(big.Int).Exp(mid, big.NewInt(int64(k)), nil).Cmp(x) <= 0 {
				lo = mid
			} else {
				hi = mid
			}
		}
		return new(big.Int).And(lo, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	}
	for i, p := range primes {
		if got := frac(p, 3); sha512K[i] != got {
			t.Errorf("sha512K[%d] = %#x, want %#x", i, sha512K[i], got)
		}
		if i < 8 && sha512H[i] != frac(p, 2) {
			t.Errorf("sha512H[%d]", i)
		}
	}
	for i := range md5T {
		if want := uint32(math.Floor(math.Abs(math.Sin(float64(i+1))) * 4294967296)); md5T[i] != want {
			t.Errorf("md5T[%d] = %#x, want %#x", i, md5T[i], want)
		}
	}
	iv := &algo{kind: SHA512, size: 64, block: 128, wide: true}
	for i, v := range sha512H {
		iv.h64[i] = v ^ 0xa5a5a5a5a5a5a5a5
	}
	d := newDigest(iv)
	d.Write([]byte("SHA-512/256"))
	sum := d.Sum(nil)
	for i := range sha512_256H {
		if got := be64at(sum[8*i:]); got != sha512_256H[i] {
			t.Errorf("sha512_256H[%d] = %#x, want %#x", i, sha512_256H[i], got)
		}
	}
}

func TestEqualComparesWholeStrings(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{{"", "", true}, {"abc", "abc", true}, {"abc", "abd", false}, {"abc", "ab", false}, {"\x00", "", false}} {
		if Equal(tc.a, tc.b) != tc.want {
			t.Errorf("Equal(%q, %q) != %v", tc.a, tc.b, tc.want)
		}
	}
}

// appendSum gives what the hash gives, for each Kind, and allocates
// nothing: a Digest answer hashes three times per request.
func TestAppendSumAgreesAndAllocatesNothing(t *testing.T) {
	msg := []byte("Mufasa:http-auth@example.org:Circle of Life")
	for k, p := range []func() hash.Hash{MD5: md5.New, SHA1: sha1.New, SHA256: sha256.New, SHA512: sha512.New, SHA512_256: sha512.New512_256} {
		want := Sum(p, msg)
		var buf [64]byte
		if got := appendSum(Kind(k), buf[:0], msg); !bytes.Equal(got, want) {
			t.Errorf("kind %d: %x, want %x", k, got, want)
		}
		if got := AppendSum(Kind(k), nil, msg); !bytes.Equal(got, want) {
			t.Errorf("kind %d, AppendSum: %x", k, got)
		}
		if n := testing.AllocsPerRun(10, func() { appendSum(Kind(k), buf[:0], msg) }); n != 0 {
			t.Errorf("kind %d: %v allocations", k, n)
		}
	}
}
