import { SingleBar } from 'cli-progress';

/** What a long command reports its progress through. */
export interface Progress {
  start(total: number, task?: string): void;
  update(done: number, task?: string): void;
  setTotal(total: number): void;
  stop(): void;
}

/** Seconds between progress lines when stderr is not a terminal (piped, or in CI); SCALER_PROGRESS_SECONDS sets another. */
export const PIPED_PROGRESS_SECONDS = Number(process.env.SCALER_PROGRESS_SECONDS) > 0 ? Number(process.env.SCALER_PROGRESS_SECONDS) : 5;

/**
 * Progress on stderr: a bar redrawn in place on a terminal, and a line every PIPED_PROGRESS_SECONDS when
 * stderr is piped or in CI, so a long run is never silent. `quiet` shows nothing.
 */
export function progressBar(label: string, { quiet = false, stream = process.stderr }: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  if (quiet) return { start() {}, update() {}, setTotal() {}, stop() {} };
  return stream.isTTY ? terminalBar(label, stream) : progressLines(label, stream);
}

function terminalBar(label: string, stream: NodeJS.WriteStream): Progress {
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {task}`, stream, hideCursor: true }, undefined);
  return {
    start: (total, task = '') => bar.start(total, 0, { task }),
    update: (done, task) => bar.update(done, task === undefined ? {} : { task }),
    setTotal: (total) => bar.setTotal(total),
    stop: () => bar.stop(),
  };
}

/**
 * Lines written as the work reports progress, not from a timer: the work is often one synchronous loop,
 * in which no timer would fire until it ended. (cli-progress's own piped mode is timer-driven.)
 */
function progressLines(label: string, stream: NodeJS.WriteStream): Progress {
  let total = 1;
  let done = 0;
  let task = '';
  let lastLine = 0;
  const write = () => {
    lastLine = Date.now();
    stream.write(`${label} ${Math.floor((100 * done) / Math.max(total, 1e-9))}%${task ? ` ${task}` : ''}\n`);
  };
  return {
    start(t, name = '') {
      total = t;
      task = name;
      lastLine = Date.now();
    },
    update(d, name) {
      done = d;
      if (name !== undefined) task = name;
      if (Date.now() - lastLine >= PIPED_PROGRESS_SECONDS * 1000) write();
    },
    setTotal(t) {
      total = t;
    },
    stop() {
      if (Date.now() - lastLine >= PIPED_PROGRESS_SECONDS * 1000) write();
    },
  };
}
