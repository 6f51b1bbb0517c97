/**
 * Timing forward passes the way every latency figure in NAS Studio is taken (latency tables,
 * whole-network validation, a trial's or an exported model's latency): the same clock, warm-up,
 * and synchronization by reading the output back, so figures measured by different paths compare.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * How a run is timed. 'cpu': the process's CPU time (user + system). On a shared machine a run
 * longer than a scheduler slice is descheduled while a 1 ms layer rarely is, so wall clocks make
 * whole networks look several times slower than the sum of their layers (measured at load 17:
 * 129 ms wall vs 27 ms CPU for a network whose layers summed to 22 ms either way). On an idle
 * machine the two agree for single-threaded backends ('wasm' and 'cpu' in Node), which is what
 * the table predicts. 'wall' for backends that compute on threads of their own ('tensorflow'),
 * where CPU time would add the threads up.
 *
 * The process's CPU time also counts its other threads (a second trial training in the engine's
 * worker pool while this one is timed; Node 20 has no per-thread clock), and a single-threaded
 * forward pass never takes more CPU time than wall time: so a 'cpu' sample is the smaller of the
 * two, which is the pass's own time when either the process or the machine is otherwise idle and
 * never worse than the wall clock.
 */
export type LatencyClock = 'cpu' | 'wall';

export function latencyClock(backend = tf.getBackend()): LatencyClock {
  return backend === 'wasm' || backend === 'cpu' ? 'cpu' : 'wall';
}

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `call` and returns how long it took (ms) on `clock`. */
function timed(clock: LatencyClock, call: () => void): number {
  const wall = performance.now();
  const cpu = clock === 'cpu' ? processCpuMs() : 0;
  call();
  const wallElapsed = performance.now() - wall;
  return clock === 'cpu' ? Math.min(processCpuMs() - cpu, wallElapsed) : wallElapsed;
}

/**
 * Times (ms, `latencyClock()` of the active backend) of `forward` after `warmup` untimed runs,
 * each synchronized by reading the output back (as a deployed model's caller would).
 */
export function timeForward(forward: () => tf.Tensor, warmup: number, repeats: number): number[] {
  return timeInterleaved([forward], warmup, repeats)[0];
}

/**
 * Times (ms) of several forward functions timed in rounds (each once per round, in order), so a
 * change of the machine's load during the measurement reaches all of them alike; times[i]
 * belongs to forwards[i]. Same clock, synchronization and warm-up as `timeForward`. With
 * `settle`, each timed run follows that many untimed runs of the same forward, so it finds the
 * caches as a network run repeatedly does rather than as the previous forward left them.
 */
export function timeInterleaved(forwards: readonly (() => tf.Tensor)[], warmup: number, repeats: number, settle = 0): number[][] {
  const clock = latencyClock();
  const times = forwards.map((): number[] => []);
  const run = (forward: () => tf.Tensor) => {
    let output: tf.Tensor | undefined;
    const elapsed = timed(clock, () => {
      output = tf.tidy(forward);
      output.dataSync();
    });
    output!.dispose();
    return elapsed;
  };
  warmUpThread(forwards, run);
  for (let round = 0; round < warmup + repeats; round++) {
    forwards.forEach((forward, i) => {
      for (let s = 0; s < settle; s++) run(forward);
      const elapsed = run(forward);
      if (round >= warmup) times[i].push(elapsed);
    });
  }
  return times;
}

/** Untimed forward passes before a thread's first timing, at least this long (ms). */
const THREAD_WARMUP_MS = 500;
let threadWarm = false;

/**
 * The first timing in a thread (process or worker) runs its forwards untimed for
 * THREAD_WARMUP_MS first. V8 compiles WebAssembly lazily, first with a baseline compiler and hot
 * functions again optimized; until then the backend's kernels run slower (measured: a 0.9 ms
 * network timed at 1.3-1.9 ms as a process's first measurement, 0.9 ms half a second later), so
 * whatever a process timed first would look slower than the same layer or network timed later.
 */
function warmUpThread(forwards: readonly (() => tf.Tensor)[], run: (forward: () => tf.Tensor) => number): void {
  if (threadWarm) return;
  threadWarm = true;
  const started = performance.now();
  while (performance.now() - started < THREAD_WARMUP_MS) forwards.forEach(run);
}
