// Node's Buffer for http-message-signatures in the browser, as bundlers
// provide it: the buffer package (esbuild --inject).
export { Buffer } from 'buffer';
