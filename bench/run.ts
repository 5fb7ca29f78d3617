// `npm run bench`: measures what the issues set targets for, and prints what it measured.
import { benchCoreDecision } from './core-decision';

const us = (n: number) => `${n.toFixed(2)} µs`;

function coreDecision(): boolean {
  const decisions = Number(process.env.BENCH_DECISIONS ?? 200_000);
  const r = benchCoreDecision(decisions);
  const met = r.p99 < 20;
  console.log('core decision latency (decide(): 3 policies, 10 steps each, state carried between decisions)');
  console.log(`  decisions  ${r.count.toLocaleString('en-US')} (after 20,000 warm-up)`);
  console.log(`  p50        ${us(r.p50)}`);
  console.log(`  p90        ${us(r.p90)}`);
  console.log(`  p99        ${us(r.p99)}   target < 20 µs: ${met ? 'met' : 'NOT MET'}`);
  console.log(`  p99.9      ${us(r.p999)}`);
  console.log(`  max        ${us(r.max)}`);
  console.log(`  mean       ${us(r.mean)}`);
  console.log(`  timer      ${us(r.timerOverhead)} per hrtime pair (included in every sample)`);
  console.log(`  checksum   ${r.checksum} (sum of desired capacities; equal across runs means equal decisions)`);
  return met;
}

const results = [coreDecision()];
process.exitCode = results.every(Boolean) ? 0 : 1;
