// node:crypto and constants for http-message-signatures in the browser: it
// requires them at load, and uses them only to make keys and signers of
// its own, which the bench does not ask for (it gives a WebCrypto signer).
export default {};
