import { ScalerError } from '../core';

/** A call to AWS failed, or answered something the adapter cannot use. */
export class AdapterError extends ScalerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdapterError';
  }
}

/** Another invocation saved this target's state first; the caller re-reads and decides again. */
export class StateConflictError extends ScalerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateConflictError';
  }
}

/** An event that is not one the handler takes, or names no configured target or alarm. */
export class EventError extends ScalerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventError';
  }
}
