// Fits an ARIMA at each origin in its own process, so a crash inside the arima package's WASM build
// is reported as that model's result instead of taking the bench down. Input on stdin, output on stdout (JSON).
import { readFileSync } from 'node:fs';
import { arima, type ArimaJob } from './forecast-models';

const job = JSON.parse(readFileSync(0, 'utf8')) as ArimaJob;
const seasonal = arima(job.options);
const forecasts: number[][] = [];
const fitMs: number[] = [];
for (const origin of job.origins) {
  const start = performance.now();
  forecasts.push(seasonal(job.values.slice(Math.max(0, origin - job.maxHistory), origin), [], job.steps, 0));
  fitMs.push(performance.now() - start);
}
process.stdout.write(JSON.stringify({ forecasts, fitMs }));
