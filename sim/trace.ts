import { parse } from 'csv-parse/sync';
import { type EpochSeconds, InvalidInputError } from '../core';

/** A load series: strictly increasing times and non-negative values. */
export interface Trace {
  readonly times: readonly EpochSeconds[];
  readonly values: readonly number[];
}

const STAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const MAX_LISTED = 10;
/**
 * Epoch numbers by magnitude: seconds until the year 5138, then milliseconds, microseconds and
 * nanoseconds (what exports write: Prometheus and JavaScript milliseconds, InfluxDB nanoseconds).
 */
const EPOCH_UNITS = [
  { from: 1e17, divisor: 1e9 },
  { from: 1e14, divisor: 1e6 },
  { from: 1e11, divisor: 1e3 },
] as const;

/**
 * Parses CSV whose header names a `timestamp` and a `value` column, in any order; other columns (such as
 * NAB's `label`) are ignored, and fields may be quoted. Timestamps are `YYYY-MM-DD HH:MM[:SS]` (UTC unless
 * an offset follows), ISO 8601 with `Z` or an offset such as `+05:00` (as the AWS CLI writes them), or
 * epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude. Rows are read one
 * at a time, so a year of 1-minute samples costs little more than its two columns. Every bad line is
 * reported, by number.
 */
export function parseTraceCsv(text: string, source = 'trace'): Trace {
  const times: number[] = [];
  const values: number[] = [];
  const problems: string[] = [];
  let columns: { time: number; value: number; count: number } | undefined;
  let header: string[] | undefined;
  const onRow = (cells: string[], line: number): void => {
    if (header === undefined) {
      header = cells;
      const names = cells.map((name) => name.toLowerCase());
      columns = { time: names.indexOf('timestamp'), value: names.indexOf('value'), count: names.length };
      return;
    }
    if (columns === undefined || columns.time < 0 || columns.value < 0) return;
    const stamp = cells[columns.time] ?? '';
    const raw = cells[columns.value] ?? '';
    const time = parseTimestamp(stamp);
    const value = Number(raw);
    if (cells.length !== columns.count) problems.push(`line ${line}: expected ${columns.count} columns, got ${cells.length}`);
    else if (time === undefined) problems.push(`line ${line}: unreadable timestamp ${JSON.stringify(stamp)}`);
    else if (raw === '' || !Number.isFinite(value) || value < 0) problems.push(`line ${line}: value must be a finite number >= 0, got ${JSON.stringify(raw)}`);
    else if (times.length > 0 && time <= times[times.length - 1]!) problems.push(`line ${line}: timestamp ${stamp} is not after the previous one`);
    else {
      times.push(time);
      values.push(value);
    }
  };
  readCsvRows(text, source, onRow);
  if (columns === undefined || columns.time < 0 || columns.value < 0) {
    throw new InvalidInputError(`${source}: line 1 must be a header naming the columns "timestamp" and "value", got ${JSON.stringify(header?.join(',') ?? '')}`);
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : '';
    throw new InvalidInputError(`${source}: ${problems.length} bad line(s): ${listed}${more}`);
  }
  if (times.length < 2) throw new InvalidInputError(`${source}: at least 2 samples are needed, got ${times.length}`);
  return { times, values };
}

/** Hands each non-empty row, fields trimmed and unquoted, to `onRow` with its line number, keeping none. */
function readCsvRows(text: string, source: string, onRow: (cells: string[], line: number) => void): void {
  try {
    parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (record: string[], context: { lines: number }) => {
        onRow(record, context.lines);
        return null;
      },
    });
  } catch (error) {
    throw new InvalidInputError(`${source}: not readable as CSV: ${(error as Error).message}`);
  }
}

/** Epoch seconds of a timestamp, or undefined when it is not one of the forms parseTraceCsv reads. */
export function parseTimestamp(stamp: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(stamp)) {
    const n = Number(stamp);
    return n / (EPOCH_UNITS.find((unit) => n >= unit.from)?.divisor ?? 1);
  }
  const m = STAMP.exec(stamp);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = offsetSeconds(m[7]);
  if (offset === undefined) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offset;
}

/** `Z`, `+05:00`, `-0330` or `+05` as seconds east of UTC; none is UTC. */
function offsetSeconds(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || 0);
  if (hours > 18 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
}

/** Scales the values so that their sample mean equals `mean` (the shared traces' convention). */
export function scaleToMean(trace: Trace, mean: number): Trace {
  const current = trace.values.reduce((sum, v) => sum + v, 0) / trace.values.length;
  if (!(current > 0)) throw new InvalidInputError(`cannot scale a trace whose mean is ${current} to ${mean}`);
  const factor = mean / current;
  return { times: trace.times, values: trace.values.map((v) => v * factor) };
}

/** Samples this many times the trace's resolution apart or more bound a gap: several samples are missing. */
export const GAP_SAMPLES = 4;

/**
 * The spacing beyond which two neighbouring samples bound a gap of unknown data (GAP_SAMPLES times the
 * trace's resolution). A sample or two missing is interpolated across; a longer outage is not, as the
 * forecaster treats a metric's missing datapoints.
 */
export function gapSeconds(trace: Trace): number {
  return GAP_SAMPLES * medianSpacing(trace);
}

/** The trace's own resolution: the median spacing of its samples, in whole seconds (at least 1). */
export function medianSpacing(trace: Trace): number {
  const spacings = new Float64Array(trace.times.length - 1);
  for (let i = 1; i < trace.times.length; i++) spacings[i - 1] = trace.times[i]! - trace.times[i - 1]!;
  spacings.sort();
  return Math.max(1, Math.round(spacings[Math.floor(spacings.length / 2)]!));
}

/** `count` values of the trace at a fixed step from its first sample, interpolated as TraceCursor does (NaN in a gap). */
export function sampleTrace(trace: Trace, stepSeconds: number, count: number): { times: number[]; values: number[] } {
  const cursor = new TraceCursor(trace, gapSeconds(trace));
  const times = Array.from({ length: count }, (_, i) => trace.times[0]! + i * stepSeconds);
  return { times, values: times.map((t) => cursor.valueAt(t)) };
}

/**
 * The trace on a grid of `stepSeconds` that ends at `end`, reaching back at most `spanSeconds` and never
 * before its first sample, oldest first: the history a metric query at `end` would return (NaN in a gap,
 * where the metric was missing).
 */
export function sampleTraceUntil(trace: Trace, end: EpochSeconds, stepSeconds: number, spanSeconds: number): { times: number[]; values: number[] } {
  const cursor = new TraceCursor(trace, gapSeconds(trace));
  const from = Math.max(trace.times[0]!, end - spanSeconds);
  const count = end < from ? 0 : Math.floor((end - from) / stepSeconds) + 1;
  const times = Array.from({ length: count }, (_, i) => end - (count - 1 - i) * stepSeconds);
  return { times, values: times.map((t) => cursor.valueAt(t)) };
}

/** The trace between `from` and `to`, with interpolated end points. */
export function sliceTrace(trace: Trace, from: EpochSeconds, to: EpochSeconds): Trace {
  const cursor = new TraceCursor(trace);
  const inside = trace.times.flatMap((t, i) => (t > from && t < to ? [i] : []));
  const times = [from, ...inside.map((i) => trace.times[i]!), to];
  return { times, values: times.map((t) => cursor.valueAt(t)) };
}

/**
 * Reads a trace at increasing times, interpolated linearly or held at the latest sample, in amortized O(1)
 * per call. Before the first sample and after the last, the nearest sample holds. Given `gapSeconds`,
 * a time strictly between two samples at least that far apart reads NaN: the data is missing there.
 */
export class TraceCursor {
  private index = 0;

  constructor(
    private readonly trace: Trace,
    private readonly gapSeconds = Infinity,
  ) {}

  valueAt(time: EpochSeconds): number {
    const outside = this.seek(time);
    if (outside !== undefined) return outside;
    const { times, values } = this.trace;
    const t0 = times[this.index]!;
    const t1 = times[this.index + 1]!;
    if (t1 - t0 >= this.gapSeconds && time < t1) return NaN;
    const f = (time - t0) / (t1 - t0);
    // A convex combination: never below the smaller sample, so never negative from non-negative samples.
    return values[this.index]! * (1 - f) + values[this.index + 1]! * f;
  }

  /** The latest sample at or before `time`, at increasing times: the trace as a metric at its own resolution. */
  heldAt(time: EpochSeconds): number {
    const outside = this.seek(time);
    if (outside !== undefined) return outside;
    const { times, values } = this.trace;
    if (times[this.index + 1]! <= time) return values[this.index + 1]!;
    return times[this.index + 1]! - times[this.index]! >= this.gapSeconds ? NaN : values[this.index]!;
  }

  /**
   * Moves to the samples around `time` (times[index] < time <= times[index + 1]). Before the first sample
   * and after the last there are none: it returns the nearest sample's value, which holds there.
   */
  private seek(time: EpochSeconds): number | undefined {
    const { times, values } = this.trace;
    if (time <= times[0]!) return values[0]!;
    const last = times.length - 1;
    if (time >= times[last]!) return values[last]!;
    // Back to the segment whose start is before `time`: a read at a sample's own time ends the segment
    // before it (it may be a gap's far side, read a moment ago).
    while (this.index > 0 && times[this.index]! >= time) this.index--;
    while (times[this.index + 1]! < time) this.index++;
    return undefined;
  }
}
