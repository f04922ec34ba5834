// Runs an ONNX model with ONNX Runtime on main.c's deterministic input and
// prints image 0's logits as `i value` lines.
const ort = require('onnxruntime-node');
(async () => {
  const session = await ort.InferenceSession.create(process.argv[2]);
  const dims = JSON.parse(process.argv[3]);
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; ++i) data[i] = ((i * 7919) % 2001) / 1000 - 1;
  const out = await session.run({input: new ort.Tensor('float32', data, dims)});
  const logits = out[session.outputNames[0]].data;
  for (let i = 0; i < logits.length; ++i) console.log(`${i} ${logits[i].toPrecision(6)}`);
})().catch(e => { console.error(e.message); process.exit(1); });
