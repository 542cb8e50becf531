import * as os from 'node:os';
import { backend, nativeInfo, nativeStatus, threads } from '../backend/index';
import { parse } from './args';

export const infoUsage = `Usage: blasnet info

Prints blasnet's version, the active backend, the CPU and its SIMD features, the OpenBLAS build,
OpenBLAS's own kernel choice (core), the core in use and why, and the thread counts.`;

export function infoCommand(argv: string[], version: string): number {
  const { values } = parse(argv, {});
  if (values.help) { console.log(infoUsage); return 0; }
  const status = nativeStatus();
  const native = nativeInfo();
  const lines = [
    `blasnet ${version}`,
    `node ${process.version}, ${os.platform()}-${os.arch()}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.availableParallelism()} cores)`,
    `backend: ${backend()}${process.env.BLASNET_BACKEND ? ` (forced by BLASNET_BACKEND=${process.env.BLASNET_BACKEND})` : ''}`,
    `threads: ${threads()}`,
  ];
  if (native) {
    lines.push(
      `CPU: ${native.cpuModel}; SIMD: ${native.cpuFeatures.join(' ') || 'unknown'}`,
      `OpenBLAS: ${native.openblasConfig.trim()}`,
      `OpenBLAS core in use: ${native.coreInUse} (OpenBLAS's own choice: ${native.openblasOwnCore})`,
      `  why: ${native.coreReason}`,
      `OpenBLAS threads ${native.openblasThreads}; elementwise pool threads ${native.poolThreads}`,
    );
  } else {
    lines.push(`native addon: unavailable (${status.reason})`);
  }
  console.log(lines.join('\n'));
  return 0;
}
