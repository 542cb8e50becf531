'use strict';
// What the figures were measured on: CPU, cores, Node, OpenBLAS's build and the thread counts.
const os = require('node:os');
const { blasnet, origin, staleDistFiles } = require('./load.cjs');

const ENV_KEYS = ['OPENBLAS_NUM_THREADS', 'OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OMP_NUM_THREADS', 'BLASNET_BACKEND',
  'BLASNET_SIMULATE_OPENBLAS_CORE', 'BLASNET_CORE_CHOOSER'];

function describeMachine() {
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((v) => +v.toFixed(2)),
    blasnetFrom: origin(),
    staleDist: staleDistFiles(),
    env: Object.fromEntries(ENV_KEYS.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]])),
  };
  try {
    const lib = blasnet();
    machine.blasnetBackend = lib.backend();
    machine.nativeStatus = lib.nativeStatus();
    machine.nativeInfo = lib.nativeInfo() ?? null;
    machine.blasnetThreads = lib.threads();
  } catch (err) {
    machine.blasnetError = err.message.split('\n')[0];
  }
  return machine;
}

function machineLines(m) {
  const lines = [
    `- CPU: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.platform}`,
    `- Node ${m.node}; load average at start ${m.loadAverage.join(' / ')} (1/5/15 min)`,
  ];
  if (m.blasnetError) {
    lines.push(`- blasnet did not load: ${m.blasnetError}`);
  } else {
    lines.push(`- blasnet from ${m.blasnetFrom}/, active backend ${m.blasnetBackend}, threads() = ${m.blasnetThreads}`);
    if (m.staleDist?.length) {
      lines.push(`- WARNING: dist/ is older than lib/ for ${m.staleDist.length} files (e.g. ${m.staleDist.slice(0, 3).join(', ')}): ` +
        'rebuild with `npx tsc -p tsconfig.json`, or run with BENCH_FROM_SOURCE=1');
    }
    if (m.nativeInfo) {
      const i = m.nativeInfo;
      lines.push(`- OpenBLAS: ${i.openblasConfig}, ${i.openblasThreads} BLAS threads, ${i.poolThreads} pool threads`);
      if (i.coreInUse) lines.push(`- OpenBLAS core in use: ${i.coreInUse} (OpenBLAS's own: ${i.openblasOwnCore}; ${i.coreReason})`);
    } else {
      lines.push(`- native addon unavailable: ${m.nativeStatus?.reason ?? 'unknown reason'}`);
    }
  }
  const env = Object.entries(m.env).map(([k, v]) => `${k}=${v}`).join(' ');
  if (env) lines.push(`- environment: ${env}`);
  return lines;
}

module.exports = { describeMachine, machineLines };
