/**
 * A city process started by hand with settings it cannot honour says so in one line and exits, before it touches a
 * database: several cities share a process only each on its own registry port.
 */
import { spawn } from 'node:child_process';
import { distScript } from '../support/processes';

async function startCityProcess(args: string[], extraEnv: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  // No database is reachable on port 1: the process must refuse before it would try one.
  const child = spawn(process.execPath, [distScript('services', 'city', 'main.js'), ...args], {
    env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

it('refuses PORT when it is to serve several cities, each of which listens on its registry port', async () => {
  const { code, output } = await startCityProcess(['bochum', 'essen'], { PORT: '4999' });
  expect(code).toBe(1);
  expect(output).toBe("city: cannot start: PORT names one city's port, but this process serves 2 cities, each on its registry port: unset PORT\n");
});

it('refuses a city named twice', async () => {
  const { code, output } = await startCityProcess(['essen', 'essen'], {});
  expect(code).toBe(1);
  expect(output).toBe('city: cannot start: a city is named twice: essen, essen\n');
});

it('refuses to start without a city', async () => {
  const { code, output } = await startCityProcess([], { CITY: '' });
  expect(code).toBe(1);
  expect(output).toContain('name the city: npm run city -- <id>');
});
