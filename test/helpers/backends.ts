// Runs a block of tests once per backend. The native backend is skipped when the addon is not
// built, except where it is required (see native.ts): there useBackend('native') fails the block.
import { beforeAll, describe } from 'vitest';
import { useBackend } from '../../lib/backend/index';
import type { BackendName } from '../../lib/backend/types';
import { nativeBackend, nativeRequired } from './native';

export const backendNames: readonly BackendName[] = ['js', 'native'];

export function skipBackend(name: BackendName): boolean {
  return name === 'native' && !nativeRequired && nativeBackend === undefined;
}

/** describe once per backend, with useBackend(name) in beforeAll. */
export function describeEachBackend(title: string, body: (name: BackendName) => void): void {
  for (const name of backendNames) {
    describe.skipIf(skipBackend(name))(`${title} [${name} backend]`, () => {
      beforeAll(() => useBackend(name));
      body(name);
    });
  }
}
