// Starts the demo's Go program (demo.wasm); it wires the page itself.
// Until it has, the form must not submit itself (that reloads the page and
// the download): Send stays disabled, and a submit is stopped here.
document.getElementById('form').addEventListener('submit', (e) => e.preventDefault());
(async () => {
  const go = new Go();
  try {
    document.getElementById('summary').textContent = 'Loading the demo (Go compiled to WebAssembly)…';
    const res = await fetch('demo.wasm');
    if (!res.ok) throw new Error('demo.wasm: HTTP ' + res.status);
    const { instance } = res.headers.get('content-type') === 'application/wasm'
      ? await WebAssembly.instantiateStreaming(res, go.importObject)
      : await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
    go.run(instance);
  } catch (err) {
    const box = document.getElementById('error');
    box.hidden = false;
    box.textContent = 'The demo could not start: ' + err.message + '. Build it with make demo.';
    document.getElementById('summary').textContent = '';
  }
})();
