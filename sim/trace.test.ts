import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../core';
import { medianSpacing, parseTraceCsv, sampleTraceUntil, scaleToMean, TraceCursor } from './trace';

const csv = ['timestamp,value', '2014-07-01 00:00:00,10', '2014-07-01 00:30:00,20', '2014-07-01 01:00:00,30', ''].join('\n');

describe('parseTraceCsv', () => {
  it('reads the shared traces format as UTC epoch seconds', () => {
    expect(parseTraceCsv(csv)).toEqual({ times: [1404172800, 1404174600, 1404176400], values: [10, 20, 30] });
  });

  it.each([
    { name: "NAB's labelled files", text: 'timestamp,value,label,notes\n2014-07-01 00:00:00,10,0.5,\n2014-07-01 00:30:00,20,1,PA' },
    { name: 'columns in another order', text: 'value,timestamp\n10,2014-07-01 00:00:00\n20,2014-07-01 00:30:00' },
    { name: 'quoted fields and a capitalised header', text: '"Timestamp","Value"\n"2014-07-01 00:00:00","10"\n"2014-07-01 00:30:00","20"' },
    { name: 'a quoted field holding commas', text: 'timestamp,value,notes\n2014-07-01 00:00:00,10,"deploy, then rollback"\n2014-07-01 00:30:00,20,' },
    { name: 'a file saved with a byte order mark and CRLF line ends', text: '\ufefftimestamp,value\r\n2014-07-01 00:00:00,10\r\n\r\n2014-07-01 00:30:00,20\r\n' },
  ])('reads the timestamp and value columns by name from $name', ({ text }) => {
    expect(parseTraceCsv(text)).toEqual({ times: [1404172800, 1404174600], values: [10, 20] });
  });

  it.each([
    { name: 'a naive date-time, read as UTC', stamp: '2014-07-01 00:00:00' },
    { name: 'a naive date-time without seconds', stamp: '2014-07-01 00:00' },
    { name: 'ISO 8601 with Z', stamp: '2014-07-01T00:00:00Z' },
    { name: 'ISO 8601 with fractional seconds and z', stamp: '2014-07-01T00:00:00.000z' },
    { name: 'ISO 8601 with a +00:00 offset, as the AWS CLI writes it', stamp: '2014-07-01T00:00:00+00:00' },
    { name: 'ISO 8601 with a +05:00 offset', stamp: '2014-07-01T05:00:00+05:00' },
    { name: 'ISO 8601 with a -0330 offset', stamp: '2014-06-30T20:30:00-0330' },
    { name: 'ISO 8601 with an hours-only offset', stamp: '2014-07-01T02:00:00+02' },
    { name: 'epoch seconds', stamp: '1404172800' },
    { name: 'epoch seconds with a fraction', stamp: '1404172800.0' },
    { name: 'epoch milliseconds, told apart by magnitude', stamp: '1404172800000' },
    { name: 'epoch microseconds', stamp: '1404172800000000' },
    { name: 'epoch nanoseconds', stamp: '1404172800000000000' },
  ])('reads $name', ({ stamp }) => {
    expect(parseTraceCsv(`timestamp,value\n${stamp},1\n2030-01-01 00:00:00,2`).times[0]).toBe(1404172800);
  });

  it('reads a 5-day trace of epoch milliseconds as 5 days, not 13.7 years', () => {
    const rows = Array.from({ length: 5 * 288 + 1 }, (_, i) => `${1_714_557_600_000 + i * 300_000},${i}`);
    const { times } = parseTraceCsv(['timestamp,value', ...rows].join('\n'));
    expect((times[times.length - 1]! - times[0]!) / 86_400).toBe(5);
  });

  it.each([
    { name: 'a missing header', text: '2014-07-01 00:00:00,1', message: 'line 1 must be a header naming the columns "timestamp" and "value"' },
    { name: 'a header without a value column', text: 'timestamp,count\n2014-07-01 00:00:00,1', message: 'line 1 must be a header naming the columns "timestamp" and "value"' },
    { name: 'a bad timestamp', text: 'timestamp,value\nyesterday,1\n2014-07-01 00:00:00,1', message: 'line 2: unreadable timestamp "yesterday"' },
    { name: 'a month 13', text: 'timestamp,value\n2014-13-01 00:00:00,1\n2014-07-01 00:00:00,1', message: 'line 2: unreadable timestamp' },
    { name: 'an offset past 18 hours', text: 'timestamp,value\n2014-07-01T00:00:00+19:00,1\n2014-07-02 00:00:00,1', message: 'line 2: unreadable timestamp "2014-07-01T00:00:00+19:00"' },
    { name: 'a named time zone', text: 'timestamp,value\n2014-07-01 00:00:00 PST,1\n2014-07-02 00:00:00,1', message: 'line 2: unreadable timestamp "2014-07-01 00:00:00 PST"' },
    { name: 'a negative value', text: 'timestamp,value\n2014-07-01 00:00:00,-1\n2014-07-01 00:05:00,1', message: 'line 2: value must be a finite number >= 0, got "-1"' },
    { name: 'an empty value', text: 'timestamp,value\n2014-07-01 00:00:00,\n2014-07-01 00:05:00,1', message: 'line 2: value must be a finite number >= 0, got ""' },
    { name: 'time going backwards', text: 'timestamp,value\n2014-07-01 00:05:00,1\n2014-07-01 00:00:00,1', message: 'line 3: timestamp 2014-07-01 00:00:00 is not after the previous one' },
    { name: 'a row longer than the header', text: 'timestamp,value\n2014-07-01 00:05:00,1,2\n2014-07-01 00:10:00,1', message: 'line 2: expected 2 columns, got 3' },
    { name: 'a row shorter than the header', text: 'timestamp,value,label\n2014-07-01 00:05:00,1\n2014-07-01 00:10:00,1,0', message: 'line 2: expected 3 columns, got 2' },
    { name: 'a quote never closed', text: 'timestamp,value\n2014-07-01 00:05:00,"1\n2014-07-01 00:10:00,1', message: 'my.csv: not readable as CSV' },
    { name: 'an empty file', text: '', message: 'line 1 must be a header naming the columns "timestamp" and "value", got ""' },
    { name: 'a single sample', text: 'timestamp,value\n2014-07-01 00:05:00,1', message: 'at least 2 samples are needed, got 1' },
  ])('rejects $name', ({ text, message }) => {
    expect(() => parseTraceCsv(text, 'my.csv')).toThrow(InvalidInputError);
    expect(() => parseTraceCsv(text, 'my.csv')).toThrow(message);
  });

  it('lists every bad line, up to ten, and counts the rest', () => {
    const bad = ['timestamp,value', ...Array.from({ length: 12 }, (_, i) => `x${i},1`)].join('\n');
    expect(() => parseTraceCsv(bad)).toThrow(/12 bad line\(s\): line 2: .* \(and 2 more\)$/);
  });
});

describe('scaleToMean and TraceCursor', () => {
  it('scales so the sample mean is the one asked for', () => {
    expect(scaleToMean(parseTraceCsv(csv), 20_000).values).toEqual([10_000, 20_000, 30_000]);
  });

  it.each([
    { name: 'a sample time gives its value', time: 1404174600, interpolated: 20, held: 20 },
    { name: 'between samples it interpolates linearly, or holds the earlier sample', time: 1404174600 + 900, interpolated: 25, held: 20 },
    { name: 'before the first sample the first value holds', time: 0, interpolated: 10, held: 10 },
    { name: 'after the last sample the last value holds', time: 2e9, interpolated: 30, held: 30 },
  ])('$name', ({ time, interpolated, held }) => {
    expect(new TraceCursor(parseTraceCsv(csv)).valueAt(time)).toBe(interpolated);
    expect(new TraceCursor(parseTraceCsv(csv)).heldAt(time)).toBe(held);
  });

  it('holds each sample until the next one, read at increasing times', () => {
    const cursor = new TraceCursor(parseTraceCsv(csv));
    const start = 1404172800;
    expect([0, 600, 1799, 1800, 3000, 3600].map((dt) => cursor.heldAt(start + dt))).toEqual([10, 10, 10, 20, 20, 30]);
  });

  it('never interpolates below zero between a sample and a zero', () => {
    const cursor = new TraceCursor({ times: [0, 300], values: [45.33333333333333, 0] });
    for (let t = 0; t <= 300; t += 0.5) expect(cursor.valueAt(t)).toBeGreaterThanOrEqual(0);
  });

  it('gives the same answers when read forwards, backwards or repeatedly', () => {
    const cursor = new TraceCursor(parseTraceCsv(csv));
    const times = [1404172800, 1404175500, 1404176399, 1404173700, 1404176399];
    expect(times.map((t) => cursor.valueAt(t))).toEqual(times.map((t) => new TraceCursor(parseTraceCsv(csv)).valueAt(t)));
  });
});

describe('medianSpacing', () => {
  it.each([
    { name: 'a regular 5-minute trace', times: [0, 300, 600, 900], step: 300 },
    { name: 'a gap and a late sample do not move it', times: [0, 300, 600, 4200, 4500, 4830, 5130], step: 300 },
    { name: 'sub-second spacing is at least a second', times: [0, 0.2, 0.4], step: 1 },
  ])('$name: $step s', ({ times, step }) => {
    expect(medianSpacing({ times, values: times.map(() => 1) })).toBe(step);
  });
});

describe('sampleTraceUntil', () => {
  const trace = { times: [100, 200, 400], values: [10, 20, 40] };
  it.each([
    { name: 'back to the first sample', end: 400, span: 1000, times: [100, 200, 300, 400], values: [10, 20, 30, 40] },
    { name: 'no further back than the span', end: 400, span: 150, times: [300, 400], values: [30, 40] },
    { name: 'on a grid ending at `end`', end: 350, span: 1000, times: [150, 250, 350], values: [15, 25, 35] },
    { name: 'nothing before the first sample', end: 50, span: 1000, times: [], values: [] },
  ])('$name', ({ end, span, times, values }) => {
    expect(sampleTraceUntil(trace, end, 100, span)).toEqual({ times, values });
  });
});
