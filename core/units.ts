/** The fewest units that serve `connections`, tolerant of floating-point noise. */
export function unitsFor(connections: number, perUnit: number): number {
  return Math.max(0, Math.ceil(connections / perUnit - 1e-9));
}
