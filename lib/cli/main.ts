#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './args';
import { exportCommand, exportUsage } from './export';
import { infoCommand, infoUsage } from './info';
import { predictCommand, predictUsage } from './predict';
import { searchCommand, searchUsage } from './search';
import { trainCommand, trainUsage } from './train';

const usage = `Usage: blasnet <command> [options]

Commands:
  train <data>                  train an MLP on fashion-mnist, a built-in data set or a CSV file
  predict <model-dir> <csv>     predict with a trained model
  export <model-dir> <out.onnx> write a trained model as ONNX (for onnxruntime and others)
  search <data>                 train many MLPs at once (a grid or random search) and keep the best
  info                          version, backend, threads, OpenBLAS details

Run \`blasnet help <command>\` (or \`blasnet <command> --help\`) for a command's options. Examples:
  blasnet train fashion-mnist
  blasnet train data/iris.csv --label species --layers 64,32 --epochs 50
  blasnet predict runs/iris data/iris.csv
  blasnet search iris --layers 8|16,8 --lr 1e-3,1e-2 --folds 5`;

const usages: Record<string, string> = { train: trainUsage, predict: predictUsage, search: searchUsage, export: exportUsage, info: infoUsage };

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' && rest.length > 0) {
    const topic = usages[rest[0]];
    if (topic === undefined || !Object.hasOwn(usages, rest[0])) {
      console.error(`blasnet: no command '${rest[0]}'; the commands are ${Object.keys(usages).join(', ')}\n\n${usage}`);
      return 2;
    }
    console.log(topic);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') { console.log(version()); return 0; }
  try {
    switch (command) {
      case 'train': return await trainCommand(rest);
      case 'predict': return predictCommand(rest);
      case 'export': return exportCommand(rest);
      case 'search': return await searchCommand(rest);
      case 'info': return infoCommand(rest, version());
      default: throw new UsageError(`unknown command '${command}'; the commands are ${Object.keys(usages).join(', ')}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`blasnet: ${err.message}\n\n${usages[command] ?? usage}`);
      return 2;
    }
    console.error(`blasnet: ${(err as Error).message}`);
    return 1;
  }
}

run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
