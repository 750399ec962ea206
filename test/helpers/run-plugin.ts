/**
 * Runs the plugin as a user does — `bin/run.js channel ...` in a child process on the project's
 * Node 22 — and collects its exit code and output. Asynchronous on purpose: an in-process local
 * org must keep serving while the command talks to it (spawnSync would deadlock).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = process.cwd();
export const NODE = join(ROOT, 'node_modules', '.bin', 'node');
export const RUN = join(ROOT, 'bin', 'run.js');

export interface PluginRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `bin/run.js <args>`; `done` resolves when it exits. */
export function startPlugin(args: readonly string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<PluginRun> } {
  const child = spawn(NODE, [RUN, ...args], { cwd: ROOT, env });
  const done = new Promise<PluginRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

export function runPlugin(args: readonly string[], env: NodeJS.ProcessEnv): Promise<PluginRun> {
  return startPlugin(args, env).done;
}

/** The `result` of a `--json` run (sf's `{status, result}` envelope). */
export function jsonResult<T>(run: PluginRun): T {
  return (JSON.parse(run.stdout) as { result: T }).result;
}
