'use strict';
// Each measurement that reports memory runs in a process of its own, so its peak RSS is its own.
// A child prints progress on stderr and, last, one line on stdout: RESULT_MARK followed by JSON.
const { spawn } = require('node:child_process');

const RESULT_MARK = '@@bench-result ';

/** Called by a child: prints its result line, with the process's peak RSS added. */
function report(result) {
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${RESULT_MARK}${JSON.stringify({ ...result, peakRssMiB })}\n`);
}

/** Reads the JSON spec a child was given as its last argument. */
function specFromArgv() {
  const arg = process.argv[process.argv.length - 1];
  try {
    return JSON.parse(arg);
  } catch {
    throw new Error(`expected a JSON spec as the last argument, received ${arg}`);
  }
}

/** The most telling line of a failed child's stderr: the last error message, not a stack frame. */
function errorLine(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at ') && !/^\^+$/.test(l));
  const errors = lines.filter((l) => /Error\b|Exception\b/.test(l));
  return (errors.length ? errors[errors.length - 1] : lines[lines.length - 1] ?? '').slice(0, 300);
}

/**
 * Runs a command, relaying its stderr (prefixed by label) and resolving with
 * { ok, result | error, seconds }. Never rejects: a failed peer is reported, not fatal.
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, timeoutSeconds?: number, cwd?: string }} [options]
 */
function runChild(label, command, args, { env, timeoutSeconds = 600, cwd } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    let child;
    try {
      child = spawn(command, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ ok: false, error: err.message, seconds: 0 });
      return;
    }
    let stdout = '';
    let stderrTail = '';
    let pending = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        process.stderr.write(`  [${label}] ${line}\n`);
        stderrTail = (stderrTail + line + '\n').slice(-2000);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, error: err.message, seconds: (Date.now() - started) / 1000 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (pending) stderrTail += pending;
      const seconds = (Date.now() - started) / 1000;
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code === 0 && line) {
        try {
          resolve({ ok: true, result: JSON.parse(line.slice(RESULT_MARK.length)), seconds });
          return;
        } catch (err) {
          resolve({ ok: false, error: `unreadable result: ${err.message}`, seconds });
          return;
        }
      }
      const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` (timeout ${timeoutSeconds} s?)` : ''}` : `exit code ${code}`;
      resolve({ ok: false, error: `${why}${errorLine(stderrTail) ? `: ${errorLine(stderrTail)}` : ''}`, seconds });
    });
  });
}

module.exports = { RESULT_MARK, report, specFromArgv, runChild };
