import { describe, expect, it } from 'vitest';
import { ScanStop } from '../../lambda/scan/scan-stop.ts';

const DEADLINE = new Date(1_000);

describe('ScanStop', () => {
  it('does not stop without a deadline or a signal', () => {
    const stop = new ScanStop({ now: () => 5_000 });
    expect(stop.shouldStop()).toBe(false);
    expect(stop.aborted()).toBe(false);
    expect(stop.reason).toBeNull();
  });

  it.each([
    [999, false, null],
    [1_000, true, 'deadline'],
    [1_001, true, 'deadline'],
  ])('does stop at the deadline: at %i ms stops is %s', (now, stops, reason) => {
    const stop = new ScanStop({ deadline: DEADLINE, now: () => now });
    expect(stop.shouldStop()).toBe(stops);
    expect(stop.reason).toBe(reason);
  });

  it('does not record the deadline before anyone asks whether to stop', () => {
    const stop = new ScanStop({ deadline: DEADLINE, now: () => 2_000 });
    expect(stop.reason).toBeNull();
    expect(stop.aborted()).toBe(false);
    expect(stop.reason).toBeNull();
  });

  it('does stop and record an abort once the signal aborts', () => {
    const controller = new AbortController();
    const stop = new ScanStop({ signal: controller.signal, now: () => 0 });
    expect(stop.shouldStop()).toBe(false);
    controller.abort();
    expect(stop.shouldStop()).toBe(true);
    expect(stop.reason).toBe('aborted');
  });

  it('does let an abort replace a deadline already recorded, never the other way round', () => {
    const controller = new AbortController();
    let now = 2_000;
    const stop = new ScanStop({ deadline: DEADLINE, signal: controller.signal, now: () => now });
    expect(stop.shouldStop()).toBe(true);
    expect(stop.reason).toBe('deadline');
    controller.abort();
    expect(stop.aborted()).toBe(true);
    now = 3_000;
    expect(stop.shouldStop()).toBe(true);
    expect(stop.reason).toBe('aborted');
  });

  it('does keep the deadline as the reason once passed, even if the clock goes back', () => {
    let now = 2_000;
    const stop = new ScanStop({ deadline: DEADLINE, now: () => now });
    expect(stop.shouldStop()).toBe(true);
    now = 0;
    expect(stop.shouldStop()).toBe(true);
    expect(stop.reason).toBe('deadline');
  });
});
