package wire

// The verbs of an OAuth client's keys function (wasm/keys.mjs): what Go
// asks of what stays in JS, the keys function called as (arg, sync, verb).
const (
	KeyLoad      = "load"      // the store's text
	KeySave      = "save"      // keep arg in the store ("" deletes)
	KeyLock      = "lock"      // the store's lock: the function that releases it
	KeyDPoP      = "dpop"      // the DPoP key's signature of arg, base64
	KeyJWK       = "jwk"       // the DPoP key's public JWK, JSON text
	KeyClient    = "client"    // the client key's signature of arg (private_key_jwt)
	KeyAuthorize = "authorize" // onAuthorize(arg): the callback URL
)

// KeyVerbs are the verbs, in the order of wire.mjs's KEY_VERBS (a test
// checks that the two agree).
var KeyVerbs = []string{KeyLoad, KeySave, KeyLock, KeyDPoP, KeyJWK, KeyClient, KeyAuthorize}
