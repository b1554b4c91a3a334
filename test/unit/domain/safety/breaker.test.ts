import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  admit,
  type BreakerSettings,
  type BreakerState,
  type BreakerTicket,
  breaker,
  breakerStatus,
  DEFAULT_BREAKER,
  INITIAL_BREAKER,
  kernelGate,
} from '../../../../src/domain/safety/breaker.ts';

const settings = DEFAULT_BREAKER;

/** Admits a call and returns its ticket, failing the test if it was refused. */
function call(state: BreakerState, now: number): { state: BreakerState; ticket: BreakerTicket } {
  const admission = admit(state, now, settings);
  if (!admission.admitted) throw new Error(`refused at ${now}`);
  return { state: admission.state, ticket: admission.ticket };
}

function fail(state: BreakerState, ticket: BreakerTicket, now: number): BreakerState {
  return breaker(state, { type: 'failure', ticket }, now, settings);
}

function succeed(state: BreakerState, ticket: BreakerTicket, now: number): BreakerState {
  return breaker(state, { type: 'success', ticket }, now, settings);
}

/** Opens a fresh breaker with `failure_threshold` failures at time `at`. */
function opened(at: number): BreakerState {
  let state = INITIAL_BREAKER;
  for (let i = 0; i < settings.failure_threshold; i++) {
    const admitted = call(state, at);
    state = fail(admitted.state, admitted.ticket, at);
  }
  return state;
}

describe('breaker', () => {
  it('stays closed below the failure threshold and opens at it', () => {
    let state = INITIAL_BREAKER;
    for (let i = 0; i < settings.failure_threshold - 1; i++) {
      const admitted = call(state, 0);
      state = fail(admitted.state, admitted.ticket, 0);
    }
    expect(state).toMatchObject({ status: 'closed', consecutive_failures: 2 });
    const last = call(state, 0);
    expect(fail(last.state, last.ticket, 5)).toMatchObject({ status: 'open', until: 5 + settings.open_ms });
  });

  it('counts consecutive failures only: a success resets the count', () => {
    let state = INITIAL_BREAKER;
    for (const outcome of ['failure', 'failure', 'success', 'failure', 'failure'] as const) {
      const admitted = call(state, 0);
      state = breaker(admitted.state, { type: outcome, ticket: admitted.ticket }, 0, settings);
    }
    expect(state).toMatchObject({ status: 'closed', consecutive_failures: 2 });
  });

  it('admits nothing while open and says when it will try again', () => {
    const state = opened(0);
    expect(admit(state, settings.open_ms - 1, settings)).toMatchObject({ admitted: false, retry_at: settings.open_ms });
    expect(breakerStatus(state, settings.open_ms - 1)).toBe('open');
    expect(breakerStatus(state, settings.open_ms)).toBe('half_open');
  });

  it('admits at most the configured probes while half-open', () => {
    let state = opened(0);
    const now = settings.open_ms;
    for (let i = 0; i < settings.half_open_max_probes; i++) {
      const admission = admit(state, now, settings);
      expect(admission.admitted).toBe(true);
      if (admission.admitted) expect(admission.ticket.probe).toBe(true);
      state = admission.state;
    }
    expect(admit(state, now, settings)).toMatchObject({ admitted: false, retry_at: null });
  });

  it('closes after the configured probe successes, and a probe slot frees on success', () => {
    let state = opened(0);
    const now = settings.open_ms;
    const first = call(state, now);
    const second = call(first.state, now);
    const third = call(second.state, now);
    state = succeed(third.state, first.ticket, now);
    expect(state).toMatchObject({ status: 'half_open', successes: 1, probes_in_flight: 2 });
    expect(admit(state, now, settings).admitted).toBe(true);
    state = succeed(state, second.ticket, now);
    expect(state.status).toBe('closed');
    // the third probe's late outcome belongs to the finished half-open period
    expect(fail(state, third.ticket, now)).toEqual(state);
  });

  it('reopens on a probe failure, for a fresh open period', () => {
    const state = opened(0);
    const probe = call(state, 40_000);
    expect(fail(probe.state, probe.ticket, 40_000)).toMatchObject({ status: 'open', until: 40_000 + settings.open_ms });
  });

  it('ignores outcomes of calls admitted in an earlier state', () => {
    const slow = call(INITIAL_BREAKER, 0);
    // the same breaker, opened meanwhile by other calls' failures, then half-open
    const state = opened(0);
    // a call admitted while closed answers while half-open: neither a success nor a failure counts
    expect(succeed(state, slow.ticket, settings.open_ms)).toMatchObject({ status: 'half_open', successes: 0 });
    expect(fail(state, slow.ticket, settings.open_ms)).toMatchObject({ status: 'half_open' });
  });

  it('starts a new epoch at every transition, so no ticket outlives the state that issued it', () => {
    const periods: Array<readonly [BreakerState['status'], number]> = [];
    const note = (state: BreakerState): BreakerState => {
      const last = periods.at(-1);
      if (last?.[0] !== state.status || last[1] !== state.epoch) periods.push([state.status, state.epoch]);
      return state;
    };
    let now = 0;
    let state = note(INITIAL_BREAKER);
    expect(call(state, now).ticket).toEqual({ epoch: state.epoch, probe: false });
    // Twice: closed -> open -> half_open -(probe fails)-> open -> half_open -(probes succeed)-> closed.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < settings.failure_threshold; i++) {
        const c = call(state, now);
        state = note(fail(c.state, c.ticket, now));
      }
      expect(state.status).toBe('open');
      now += settings.open_ms;
      const failing = call(state, now);
      expect(failing.ticket).toEqual({ epoch: note(failing.state).epoch, probe: true });
      state = note(fail(failing.state, failing.ticket, now));
      expect(state.status).toBe('open');
      now += settings.open_ms;
      for (let i = 0; i < settings.success_threshold; i++) {
        const probe = call(state, now);
        state = note(succeed(note(probe.state), probe.ticket, now));
      }
      expect(state.status).toBe('closed');
    }
    expect(periods.map(([status]) => status)).toEqual([
      ...['closed', 'open', 'half_open', 'open', 'half_open'],
      ...['closed', 'open', 'half_open', 'open', 'half_open', 'closed'],
    ]);
    expect(new Set(periods.map(([, epoch]) => epoch)).size).toBe(periods.length);
  });

  it('stays total on outcomes it never asks for: one under an open breaker, a non-probe while half-open', () => {
    const open = opened(0);
    expect(fail(open, { epoch: open.epoch, probe: false }, 1)).toBe(open);
    expect(fail(open, { epoch: open.epoch, probe: true }, 1)).toBe(open);
    const probe = call(open, settings.open_ms);
    const halfOpen = probe.state;
    expect(succeed(halfOpen, { epoch: halfOpen.epoch, probe: false }, settings.open_ms)).toBe(halfOpen);
    expect(fail(halfOpen, { epoch: halfOpen.epoch, probe: false }, settings.open_ms)).toBe(halfOpen);
  });

  it('uses configured numbers', () => {
    const custom: BreakerSettings = {
      failure_threshold: 1,
      open_ms: 10,
      half_open_max_probes: 1,
      success_threshold: 1,
    };
    let admission = admit(INITIAL_BREAKER, 0, custom);
    if (!admission.admitted) throw new Error('refused');
    let state = breaker(admission.state, { type: 'failure', ticket: admission.ticket }, 0, custom);
    expect(state.status).toBe('open');
    admission = admit(state, 10, custom);
    if (!admission.admitted) throw new Error('refused');
    expect(admit(admission.state, 10, custom).admitted).toBe(false);
    state = breaker(admission.state, { type: 'success', ticket: admission.ticket }, 10, custom);
    expect(state.status).toBe('closed');
  });

  it('defers or denies what it does not admit, as configured', () => {
    const refused = admit(opened(0), 1, settings);
    expect(kernelGate(refused, 'defer')).toBe('defer');
    expect(kernelGate(refused, 'deny')).toBe('deny');
    expect(kernelGate(admit(INITIAL_BREAKER, 0, settings), 'deny')).toBe('call');
  });
});

// ---------------------------------------------------------------------------------------------
// Model-based: the breaker against a plainly written model, over random interleavings.

type Mode = 'closed' | 'open' | 'half_open';

class Model {
  mode: Mode = 'closed';
  failures = 0;
  openUntil = 0;
  probes = 0;
  successes = 0;
  period = 0;
  /** Outstanding calls: the period each was admitted in, and whether it is a probe. */
  calls: { period: number; probe: boolean }[] = [];
  readonly settings: BreakerSettings;
  constructor(settings: BreakerSettings) {
    this.settings = settings;
  }

  private enter(mode: Mode, now: number): void {
    this.mode = mode;
    this.period += 1;
    this.failures = 0;
    this.probes = 0;
    this.successes = 0;
    if (mode === 'open') this.openUntil = now + this.settings.open_ms;
  }

  tick(now: number): void {
    if (this.mode === 'open' && now >= this.openUntil) this.enter('half_open', now);
  }

  admit(now: number): boolean {
    this.tick(now);
    if (this.mode === 'open') return false;
    if (this.mode === 'half_open') {
      if (this.probes === this.settings.half_open_max_probes) return false;
      this.probes += 1;
    }
    this.calls.push({ period: this.period, probe: this.mode === 'half_open' });
    return true;
  }

  outcome(index: number, ok: boolean, now: number): void {
    this.tick(now);
    const [done] = this.calls.splice(index, 1);
    if (done === undefined || done.period !== this.period) return;
    if (this.mode === 'closed') {
      this.failures = ok ? 0 : this.failures + 1;
      if (this.failures === this.settings.failure_threshold) this.enter('open', now);
    } else if (this.mode === 'half_open') {
      if (!ok) {
        this.enter('open', now);
        return;
      }
      this.successes += 1;
      this.probes -= 1;
      if (this.successes === this.settings.success_threshold) this.enter('closed', now);
    }
  }
}

interface Real {
  state: BreakerState;
  now: number;
  tickets: BreakerTicket[];
  settings: BreakerSettings;
}

function checkInvariants(model: Model, real: Real): void {
  model.tick(real.now);
  expect(breakerStatus(real.state, real.now)).toBe(model.mode);
  expect(real.tickets).toHaveLength(model.calls.length);
  if (breakerStatus(real.state, real.now) === 'half_open') {
    // count the probes really outstanding, not the breaker's own counter
    const epoch = real.state.epoch;
    const probes = real.tickets.filter((ticket) => ticket.probe && ticket.epoch >= epoch).length;
    expect(probes).toBeLessThanOrEqual(real.settings.half_open_max_probes);
  }
}

class Wait implements fc.Command<Model, Real> {
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
  check = () => true;
  run(model: Model, real: Real): void {
    real.now += this.ms;
    checkInvariants(model, real);
  }
  toString = () => `wait(${this.ms})`;
}

class Admit implements fc.Command<Model, Real> {
  check = () => true;
  run(model: Model, real: Real): void {
    const admission = admit(real.state, real.now, real.settings);
    expect(admission.admitted).toBe(model.admit(real.now));
    real.state = admission.state;
    if (admission.admitted) real.tickets.push(admission.ticket);
    checkInvariants(model, real);
  }
  toString = () => 'admit';
}

class Outcome implements fc.Command<Model, Real> {
  readonly pick: number;
  readonly ok: boolean;
  constructor(pick: number, ok: boolean) {
    this.pick = pick;
    this.ok = ok;
  }
  check = (model: Readonly<Model>) => model.calls.length > 0;
  run(model: Model, real: Real): void {
    const index = this.pick % real.tickets.length;
    const [ticket] = real.tickets.splice(index, 1);
    if (ticket === undefined) throw new Error('no ticket');
    const wasHalfOpen = breakerStatus(real.state, real.now) === 'half_open';
    real.state = breaker(real.state, { type: this.ok ? 'success' : 'failure', ticket }, real.now, real.settings);
    model.outcome(index, this.ok, real.now);
    if (wasHalfOpen && model.mode === 'closed') expect(real.state.status).toBe('closed');
    checkInvariants(model, real);
  }
  toString = () => `${this.ok ? 'success' : 'failure'}(#${this.pick})`;
}

describe('breaker, model-based', () => {
  const anySettings = fc.record({
    failure_threshold: fc.integer({ min: 1, max: 4 }),
    open_ms: fc.integer({ min: 1, max: 50 }),
    half_open_max_probes: fc.integer({ min: 1, max: 4 }),
    success_threshold: fc.integer({ min: 1, max: 4 }),
  });
  const commands = fc.commands(
    [
      fc.integer({ min: 0, max: 30 }).map((ms) => new Wait(ms)),
      fc.constant(new Admit()),
      fc.tuple(fc.nat(), fc.boolean()).map(([pick, ok]) => new Outcome(pick, ok)),
    ],
    { maxCommands: 200 },
  );

  it('property: agrees with the model; never more probes in flight than configured while half-open', () => {
    fc.assert(
      fc.property(anySettings, commands, (breakerSettings, cmds) => {
        const setup = () => ({
          model: new Model(breakerSettings),
          real: { state: INITIAL_BREAKER, now: 0, tickets: [], settings: breakerSettings } satisfies Real,
        });
        fc.modelRun(setup, cmds);
      }),
      { numRuns: 300 },
    );
  });

  it('property: from half-open, the configured number of probe successes closes it', () => {
    fc.assert(
      fc.property(anySettings, (breakerSettings) => {
        let state: BreakerState = { status: 'open', epoch: 1, until: 0 };
        for (let i = 0; i < breakerSettings.success_threshold; i++) {
          expect(breakerStatus(state, 0)).toBe('half_open');
          const admission = admit(state, 0, breakerSettings);
          if (!admission.admitted) throw new Error('a probe slot should be free');
          state = breaker(admission.state, { type: 'success', ticket: admission.ticket }, 0, breakerSettings);
        }
        expect(state.status).toBe('closed');
      }),
    );
  });
});
