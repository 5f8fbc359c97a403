import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, freePorts } from '../../../harness/cluster/ports.js';

function canListen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

describe('freePorts', () => {
  it('returns distinct, unprivileged ports that can be listened on right away', async () => {
    const ports = await freePorts(6);
    expect(ports).toHaveLength(6);
    expect(new Set(ports).size).toBe(6);
    for (const p of ports) {
      expect(p).toBeGreaterThan(1023);
      expect(p).toBeLessThan(65536);
      expect(await canListen(p)).toBe(true);
    }
  });

  it('never returns a port someone is listening on', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const taken = (busy.address() as { port: number }).port;
    try {
      const ports = await freePorts(20);
      expect(ports).not.toContain(taken);
      expect(await canListen(taken)).toBe(false);
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });

  it('freePort gives one port; count 0 gives none', async () => {
    expect(Number.isInteger(await freePort())).toBe(true);
    expect(await freePorts(0)).toEqual([]);
  });
});
