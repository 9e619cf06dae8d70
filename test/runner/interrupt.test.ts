import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { undoOnSignal } from '../../src/runner/interrupt.js';

describe('undoOnSignal', () => {
  it('runs the undo once on SIGTERM, then exits 143', async () => {
    const proc = new EventEmitter();
    const undone: string[] = [];
    let exitCode: number | undefined;
    const exited = new Promise<void>((resolve) => {
      void undoOnSignal(
        async () => {
          undone.push('undo');
        },
        () => new Promise<void>(() => undefined), // an `up` that never finishes by itself
        { proc, exit: (code) => ((exitCode = code), resolve()) },
      );
    });
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    await exited;
    expect(undone).toEqual(['undo']);
    expect(exitCode).toBe(143);
  });

  it('removes its handlers when the work is done, and never undoes a finished up', async () => {
    const proc = new EventEmitter();
    let undos = 0;
    const result = await undoOnSignal(
      async () => {
        undos++;
      },
      async () => 'started',
      { proc, exit: () => undefined },
    );
    expect(result).toBe('started');
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
    proc.emit('SIGINT');
    expect(undos).toBe(0);
  });
});
