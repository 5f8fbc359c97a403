// Polling helpers for start-up: wait until a condition holds, failing early (with the component's
// log tail) when a supervised component died, and with a message naming what was awaited on timeout.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Throws when something the wait depends on is already dead (Supervisor.assertHealthy). */
  readonly health?: () => void;
}

/** Polls `check` until it returns true; the last error `check` threw is quoted on timeout. */
export async function waitUntil(what: string, check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = '';
  for (;;) {
    options.health?.();
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    options.health?.();
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`);
    }
    await sleep(options.intervalMs ?? 200);
  }
}

export interface HttpGetOptions {
  readonly ca?: string;
  readonly token?: string;
  readonly timeoutMs?: number;
}

/** GET `url` (http or https) and return status and body; rejects on connection errors. */
export function httpGet(url: string, options: HttpGetOptions = {}): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      {
        method: 'GET',
        ...(options.ca ? { ca: options.ca } : {}),
        headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
        timeout: options.timeoutMs ?? 5_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
