import { describe, expect, it } from 'vitest';
import { loadTrainingData } from '../../lib/cli/data-source';

function classCounts(labels: Float32Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const c of labels) counts[c]++;
  return counts;
}

describe('the command line\'s train/test split', () => {
  it('keeps every class\'s share in the test split of a classification data set', () => {
    // iris: 150 rows, 50 per class; a fifth held out keeps 10 of each (an unstratified cut gave 4/17/9).
    for (const seed of [1, 2, 3]) {
      const data = loadTrainingData('iris', { testFraction: 0.2, seed });
      expect(classCounts(data.test.y.data, 3)).toEqual([10, 10, 10]);
      expect(classCounts(data.train.y.data, 3)).toEqual([40, 40, 40]);
    }
  });
});
