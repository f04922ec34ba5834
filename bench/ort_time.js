// Times ONNX Runtime's InferenceSession.run on main.c's deterministic input.
// Usage: node ort_time.js MODEL DIMS BATCH THREADS REPEATS WARMUP
// DIMS is one sample's shape as JSON ([3,32,32]); THREADS is the session's
// intra-op threads (inter-op 1, sequential execution, all graph
// optimizations). Prints "median_ms min_ms maxrss_kb" (the process's peak
// resident set, node's own included).
const ort = require('onnxruntime-node');
(async () => {
  const [model, dimsText, batchText, threadsText, repeatsText, warmupText] =
      process.argv.slice(2);
  const batch = Number(batchText), repeats = Number(repeatsText);
  const dims = [batch].concat(JSON.parse(dimsText));
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threadsText),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; ++i) data[i] = ((i * 7919) % 2001) / 1000 - 1;
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, dims)};
  for (let i = 0; i < Number(warmupText); ++i) await session.run(feeds);
  const times = [];
  for (let i = 0; i < repeats; ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times.length % 2 ? times[(times.length - 1) / 2]
      : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  console.log(`${median.toFixed(4)} ${times[0].toFixed(4)} ${process.resourceUsage().maxRSS}`);
})().catch(e => { console.error(e.message); process.exit(1); });
