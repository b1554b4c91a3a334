// The dashboard's only way to the data: the REST API, with the key the user entered (sessionStorage,
// so it goes with the tab) as a Bearer header on every call, the event stream included. EventSource
// cannot send headers, so the stream is read with fetch and parsed here (the SSE format: id, event,
// data, retry; comments are heartbeats) and resumed with Last-Event-ID after a drop.

const KEY = 'coretex.apiKey';

export function getKey() {
  return sessionStorage.getItem(KEY) ?? '';
}

export function setKey(key) {
  if (key === '') sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, key);
}

/** A failed call: the problem details (RFC 9457) the API answered, or a network failure. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra = {}) {
  const key = getKey();
  return { accept: 'application/json', ...(key === '' ? {} : { authorization: `Bearer ${key}` }), ...extra };
}

/** Listeners told when the API refuses the key (401), so the app can ask for another. */
const unauthorized = new Set();
export function onUnauthorized(listener) {
  unauthorized.add(listener);
}

/** `query`: an object; undefined, null and '' values are left out. */
export function url(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

export async function call(method, path, { query, body, signal } = {}) {
  let response;
  try {
    response = await fetch(url(path, query), {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, { title: 'The API cannot be reached', detail: String(error?.message ?? error) });
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = { detail: text };
  }
  if (!response.ok) {
    if (response.status === 401) for (const listener of unauthorized) listener(parsed);
    throw new ApiError(response.status, parsed);
  }
  return parsed;
}

export const get = (path, query, signal) => call('GET', path, { query, signal });
export const post = (path, body, query) => call('POST', path, { body: body ?? {}, query });

/**
 * Follows `/api/v1/events/stream` with the given filters until `signal` aborts, calling `onEvent`
 * with each parsed message and `onState` with 'live' | 'reconnecting' | 'closed'. Reconnects after
 * the server's `retry` (2 s by default), resuming from the last id it saw.
 */
export async function followEvents(filters, { onEvent, onState, signal }) {
  let lastId = null;
  let retryMs = 2000;
  while (!signal.aborted) {
    try {
      const response = await fetch(url('/api/v1/events/stream', filters), {
        headers: headers({ accept: 'text/event-stream', ...(lastId === null ? {} : { 'last-event-id': lastId }) }),
        signal,
      });
      if (response.status === 401) {
        for (const listener of unauthorized) listener(null);
        onState('closed');
        return;
      }
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
      onState('live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let message = { id: null, event: 'message', data: [] };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let newline;
        while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
          if (line === '') {
            if (message.id !== null) lastId = message.id;
            if (message.data.length > 0) {
              let data = null;
              try {
                data = JSON.parse(message.data.join('\n'));
              } catch {
                data = null;
              }
              if (data !== null) onEvent({ id: message.id, type: message.event, ...data });
            }
            message = { id: null, event: 'message', data: [] };
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const raw = colon === -1 ? '' : line.slice(colon + 1);
          const text = raw.startsWith(' ') ? raw.slice(1) : raw;
          if (field === 'id') message.id = text;
          else if (field === 'event') message.event = text;
          else if (field === 'data') message.data.push(text);
          else if (field === 'retry' && /^\d+$/.test(text)) retryMs = Number(text);
        }
      }
    } catch (error) {
      if (signal.aborted) break;
      void error;
    }
    if (signal.aborted) break;
    onState('reconnecting');
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, retryMs);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  onState('closed');
}
