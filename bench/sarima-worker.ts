// Fits a seasonal ARIMA at each origin in its own process, so a crash inside the arima package's WASM build
// is reported as that model's result instead of taking the bench down. Input on stdin, output on stdout (JSON).
import ARIMA from 'arima';
import { readFileSync } from 'node:fs';

interface Job {
  readonly values: number[];
  readonly origins: number[];
  readonly maxHistory: number;
  readonly steps: number;
  readonly season: number;
}

const job = JSON.parse(readFileSync(0, 'utf8')) as Job;
const forecasts: number[][] = [];
const fitMs: number[] = [];
for (const origin of job.origins) {
  const start = performance.now();
  const model = new ARIMA({ p: 2, d: 0, q: 1, P: 1, D: 1, Q: 0, s: job.season, verbose: false }).train(job.values.slice(Math.max(0, origin - job.maxHistory), origin));
  forecasts.push(model.predict(job.steps)[0].map((v) => Math.max(0, v)));
  fitMs.push(performance.now() - start);
  model.destroy();
}
process.stdout.write(JSON.stringify({ forecasts, fitMs }));
