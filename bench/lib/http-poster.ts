/**
 * POSTs of one JSON body to one API path over keep-alive connections, for load generators: the body
 * is serialised once, and only an unexpected answer's body is read.
 */
import http from 'node:http';

/** A function that POSTs `body` to `path`; resolves on `expectedStatus`, rejects with the answer otherwise. */
export function poster(apiUrl: string, key: string, path: string, body: unknown, expectedStatus: number) {
  const url = new URL(apiUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const text = JSON.stringify(body);
  const headers = {
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  };
  return (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path, method: 'POST', agent, headers },
        (response) => {
          let answer = '';
          response.on('data', (chunk: Buffer) => {
            if (response.statusCode !== expectedStatus) answer += chunk.toString();
          });
          response.on('end', () =>
            response.statusCode === expectedStatus
              ? resolve()
              : reject(new Error(`HTTP ${response.statusCode}: ${answer}`)),
          );
        },
      );
      request.on('error', reject);
      request.end(text);
    });
}
