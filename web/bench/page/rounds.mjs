// rounds.mjs: the measuring loop shared by the Node and Chromium benchmarks.

export const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// warm runs each variant until it stops getting faster: rounds of run(f)
// until two rounds running are no faster than 0.97× the best so far, or
// maxRounds. fetch keeps getting faster for thousands of requests (1.3 ms
// to 0.22 ms a request in Node), so a fixed warm-up round flatters
// whichever variant runs later.
export async function warm(variants, run, maxRounds) {
  const warmed = {};
  for (const [name, f] of Object.entries(variants)) {
    let best = Infinity, still = 0, n = 0;
    while (n < maxRounds && still < 2) {
      const t0 = performance.now();
      await run(f);
      const t = performance.now() - t0;
      n++;
      if (t < best * 0.97) { best = t; still = 0; } else still++;
    }
    warmed[name] = n;
  }
  return warmed;
}

// rounds warms every variant (see warm), then runs each `rounds` times,
// alternating their order each round. run(variant) performs `count`
// requests. It returns, per variant, the median time per request (ms), and
// the median, least and greatest of the per-round ratios to the `raw`
// variant.
export async function rounds(variants, rounds, count, run, maxWarmRounds = 20) {
  const names = Object.keys(variants);
  const warmed = await warm(variants, run, maxWarmRounds);
  const per = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...names].reverse() : names;
    for (const name of order) {
      const t0 = performance.now();
      await run(variants[name]);
      per[name].push(performance.now() - t0);
    }
  }
  const out = {};
  for (const n of names) {
    const ratios = per[n].map((t, i) => t / per.raw[i]);
    out[n] = { msPerRequest: median(per[n]) / count, ratio: median(ratios), ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios), warmRounds: warmed[n] };
  }
  return out;
}
