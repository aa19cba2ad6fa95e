/**
 * What every benchmark prints and does the same way: the machine line recorded with the figures in
 * docs/benchmarks.md, and a watchdog that stops a benchmark that runs too long.
 */
import os from "node:os";

/**
 * "2 × AMD EPYC …, 24 GiB, Node v20.20.2", optionally with the load average (1, 5, 15 min) and the
 * platform, so a figure can be read against the machine and how busy it was.
 */
export function describeMachine(options: { load?: boolean; platform?: boolean } = {}): string {
  const cpus = os.cpus();
  const parts = [`${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}`, `${Math.round(os.totalmem() / 2 ** 30)} GiB`, `Node ${process.version}`];
  if (options.platform) parts.push(`${os.platform()} ${os.release()}`);
  if (options.load) parts.push(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  return parts.join(", ");
}

/** Exits with code 2 and says so when `name` is still running after `minutes`; never keeps the process alive. */
export function stopAfterMinutes(name: string, minutes: number): void {
  const timer = setTimeout(() => {
    console.error(`${name} did not finish within ${minutes} min; stopping.`);
    process.exit(2);
  }, minutes * 60_000);
  timer.unref();
}
