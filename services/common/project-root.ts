import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/**
 * The checkout's root directory. Code runs both from `dist/` (compiled) and from the sources (tests), so
 * paths to checked-in files are resolved from here rather than from `__dirname`.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'integration-forum-hub') {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`integration-forum-hub: no package.json found above ${__dirname}`);
    dir = parent;
  }
}

export function fromProjectRoot(...segments: string[]): string {
  return path.join(projectRoot(), ...segments);
}
