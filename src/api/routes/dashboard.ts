/**
 * The web dashboard (SPEC 8): static files from `src/api/dashboard/` served at `/` with no build step.
 * They hold no data, so they need no key (`access: public`); every data call the page makes goes
 * through the API with the key the user enters (kept in sessionStorage, sent as a Bearer header, also
 * on the event stream, which the page reads with fetch rather than EventSource for that reason).
 *
 * The files are read once at start (a handful, a few dozen KiB), each with its content type and a
 * strong ETag; browsers revalidate on every load (`no-cache`), so a new version is seen at once. A
 * strict Content-Security-Policy allows only this origin's scripts, styles and connections.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../types.ts';

const DIR = join(import.meta.dirname, '..', 'dashboard');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

function loadFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(DIR)) {
    const type = TYPES[extname(name)];
    if (type === undefined) continue;
    const body = readFileSync(join(DIR, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    files.set(name, { body, type, etag });
  }
  return files;
}

export function registerDashboardRoutes(app: App): void {
  const files = loadFiles();
  const serve = (name: string, request: FastifyRequest, reply: FastifyReply) => {
    const file = files.get(name);
    if (file === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    void reply
      .header('content-type', file.type)
      .header('cache-control', 'no-cache')
      .header('etag', file.etag)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('content-security-policy', CSP);
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.send(file.body);
  };
  // Not API operations: left out of the OpenAPI document, and public (they carry no data).
  const route = { schema: { hide: true }, config: { access: { role: 'public' as const } } };
  app.get('/', route, (request, reply) => serve('index.html', request, reply));
  app.get<{ Params: { file: string } }>('/dashboard/:file', route, (request, reply) =>
    serve(request.params.file, request, reply),
  );
}
