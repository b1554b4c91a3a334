/** The API's Fastify instance type, and what the API adds to Fastify's requests and route config. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access, Principal } from './auth/principal.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The caller, once `enforce` ran; null on public routes without a key. */
    principal: Principal | null;
    /** W3C trace id: from `traceparent` when sent, else fresh; recorded in events and logs. */
    traceId: string;
  }
}

export type App = FastifyInstance<
  FastifyInstance['server'],
  FastifyRequest['raw'],
  FastifyReply['raw'],
  FastifyInstance['log'],
  TypeBoxTypeProvider
>;
