// A CPU profile of this process over one piece of a bench, written as DIR/NAME.cpuprofile
// (open it in Chrome's DevTools or speedscope). Without a directory, `f` just runs.
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export async function profiled<T>(dir: string | undefined, name: string, f: () => Promise<T>): Promise<T> {
  if (!dir) return f();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
