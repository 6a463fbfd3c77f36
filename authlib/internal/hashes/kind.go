package hashes

// A Kind names one of the hashes, for [AppendSum].
type Kind uint8

const (
	MD5 Kind = iota
	SHA1
	SHA256
	SHA512
	SHA512_256
)

// algos are the compact implementations, by Kind.
var algos = [...]*algo{MD5: md5Algo, SHA1: sha1Algo, SHA256: sha256Algo, SHA512: sha512Algo, SHA512_256: sha512_256Alg}

// appendSum appends the hash of data by the compact implementation of k
// to dst, with no allocation of its own.
func appendSum(k Kind, dst, data []byte) []byte {
	d := digest{a: algos[k]}
	d.Reset()
	d.Write(data)
	return d.sum(dst)
}
