// GET JSON over a Unix socket (see unix-forward.ts): the way a test reaches a hub inside a NetLab.
import http from 'node:http';

export interface JsonAnswer<T> {
  readonly status: number;
  readonly body: T;
}

export function getJsonVia<T = unknown>(socketPath: string, path: string, timeoutMs = 10_000): Promise<JsonAnswer<T>> {
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath, path, headers: { host: 'lab-hub', accept: 'application/json' }, timeout: timeoutMs }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as T });
        } catch {
          reject(new Error(`GET ${path}: ${response.statusCode}, not JSON: ${text.slice(0, 200)}`));
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
