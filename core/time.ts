/** A point in time as Unix epoch seconds (may be fractional). The engine never reads the clock itself. */
export type EpochSeconds = number;
