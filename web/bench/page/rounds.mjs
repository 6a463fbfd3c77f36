// rounds.mjs: the measuring loop shared by the Node and Chromium benchmarks.

export const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// rounds runs every variant `rounds` times (after one warm-up round),
// alternating their order each round. run(variant) performs `count`
// requests. It returns, per variant, the median time per request (ms) and
// the median of the per-round ratios to the `raw` variant.
export async function rounds(variants, rounds, count, run) {
  const names = Object.keys(variants);
  const per = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = -1; r < rounds; r++) {
    const order = r % 2 ? [...names].reverse() : names;
    for (const name of order) {
      const t0 = performance.now();
      await run(variants[name]);
      if (r >= 0) per[name].push(performance.now() - t0);
    }
  }
  const out = {};
  for (const n of names) {
    out[n] = { msPerRequest: median(per[n]) / count, ratio: median(per[n].map((t, i) => t / per.raw[i])) };
  }
  return out;
}
