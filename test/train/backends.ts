// Runs a block of tests once per backend. The native backend is skipped when the addon is not
// built, except in CI or with BLASNET_REQUIRE_NATIVE set, where its absence must fail the run.
import { beforeAll, describe } from 'vitest';
import { backendByName, useBackend } from '../../lib/backend/index';
import type { BackendName } from '../../lib/backend/types';

const nativeRequired = Boolean(process.env.CI) || Boolean(process.env.BLASNET_REQUIRE_NATIVE);

export const backendNames: readonly BackendName[] = ['js', 'native'];

export function skipBackend(name: BackendName): boolean {
  return name === 'native' && !nativeRequired && backendByName('native') === undefined;
}

/** describe once per backend, with useBackend(name) in beforeAll. */
export function describeEachBackend(title: string, body: (name: BackendName) => void): void {
  for (const name of backendNames) {
    describe.skipIf(skipBackend(name))(`${title} [${name}]`, () => {
      beforeAll(() => useBackend(name));
      body(name);
    });
  }
}
