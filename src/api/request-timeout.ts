/**
 * Request timeouts (SPEC 6, `CORETEX_API_TIMEOUT`): a request still unanswered after its time is
 * answered `503 timeout` with Retry-After. Open requests sit in buckets by the tick they expire at and
 * one timer sweeps them. Fastify's own `handlerTimeout` gives every request an AbortController and a
 * timer and aborts it when the response closes, building a DOMException each time: a visible share of
 * the API's CPU at a thousand submissions a second. A route may allow longer with `config.timeoutMs`
 * (long polls); a hijacked reply (the event stream) is its own business.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './types.ts';
import { problem, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's request timeout, when not the installation's. */
    timeoutMs?: number;
  }
}

export const TIMEOUT_ANSWER = {
  problem: problem(503, 'timeout', 'the request took too long; retry'),
  headers: { 'retry-after': '1' },
} as const;

export function useRequestTimeouts(app: App, defaultMs: number): void {
  const tickMs = Math.min(250, Math.max(10, Math.floor(defaultMs / 4)));
  const buckets = new Map<number, Set<FastifyReply>>();
  const tickOf = new WeakMap<FastifyReply, number>();
  let swept = Math.floor(Date.now() / tickMs);

  const sweep = () => {
    const now = Math.floor(Date.now() / tickMs);
    for (let tick = swept; tick <= now; tick++) {
      const due = buckets.get(tick);
      if (due === undefined) continue;
      buckets.delete(tick);
      for (const reply of due) {
        if (reply.sent || reply.raw.destroyed) continue;
        void sendProblem(reply, TIMEOUT_ANSWER);
      }
    }
    swept = now + 1;
  };
  const timer = setInterval(sweep, tickMs);
  timer.unref();
  app.addHook('onClose', (_instance, done) => {
    clearInterval(timer);
    done();
  });

  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    const ms = request.routeOptions.config.timeoutMs ?? defaultMs;
    // Never a tick already swept: the earliest a request can time out is the next sweep.
    const tick = Math.max(swept, Math.ceil((Date.now() + ms) / tickMs));
    let bucket = buckets.get(tick);
    if (bucket === undefined) buckets.set(tick, (bucket = new Set()));
    bucket.add(reply);
    tickOf.set(reply, tick);
    done();
  });
  app.addHook('onResponse', (_request, reply, done) => {
    const tick = tickOf.get(reply);
    if (tick !== undefined) buckets.get(tick)?.delete(reply);
    done();
  });
}
