// Runs the `rehearse` CLI in-process and captures what it prints, as a user would see it.
import { vi } from 'vitest';
import { main } from '../../harness/cli.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], readStdin?: () => string): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(args, readStdin ? { readStdin } : {});
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
