'use strict';
// The arithmetic an MLP's training costs, to turn samples/s into GFLOP/s (and back).

/** Parameters and training FLOPs per sample of a features-hidden…-classes MLP (gemm work only:
 *  forward 2·in·out, backward 4·in·out except the first layer, which needs no input gradient). */
function mlpCost(hidden, features, classes) {
  const widths = [features, ...hidden, classes];
  let params = 0, flops = 0;
  for (let i = 0; i + 1 < widths.length; i++) {
    const w = widths[i] * widths[i + 1];
    params += w + widths[i + 1];
    flops += (i === 0 ? 4 : 6) * w;
  }
  return { params, flopsPerSample: flops };
}

module.exports = { mlpCost };
