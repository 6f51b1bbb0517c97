import { accuracyInfo, countInfo, millisecondsInfo, type MetricInfo } from '../../../contract/metricInfo';

/**
 * What the columns of a NAS-Bench-201 style table mean, from their names (the convention of
 * NASLib and HELP exports, used by shared tables such as nb201.csv): accuracies in %,
 * parameters in millions ("mb"), FLOPs in millions, latencies in ms per device. Columns that
 * follow none of these are shown plainly.
 */
const DATASETS: Readonly<Record<string, string>> = { cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', imagenet16: 'ImageNet16-120', imagenet16_120: 'ImageNet16-120' };

const GPUS: Readonly<Record<string, string>> = {
  '1080ti': 'GTX 1080 Ti',
  '2080ti': 'RTX 2080 Ti',
  titan_rtx: 'Titan RTX',
  titanx: 'Titan X',
  titanxp: 'Titan Xp',
};

const DEVICES: Readonly<Record<string, string>> = {
  essential_ph_1: 'Essential Phone',
  eyeriss: 'Eyeriss',
  fpga: 'FPGA',
  raspi4: 'Raspberry Pi 4',
  samsung_a50: 'Samsung A50',
  samsung_s7: 'Samsung S7',
};

function datasetName(id: string): string {
  return DATASETS[id] ?? id;
}

/** "pixel3" → "Pixel 3", "1080ti_32" → "GTX 1080 Ti, batch 32", "gold_6226" → "Xeon Gold 6226". */
export function deviceName(id: string): string {
  if (Object.hasOwn(DEVICES, id)) return DEVICES[id];
  const pixel = /^pixel(\d+)$/.exec(id);
  if (pixel) return `Pixel ${pixel[1]}`;
  const xeon = /^(gold|silver)_(\w+)$/.exec(id);
  if (xeon) return `Xeon ${xeon[1] === 'gold' ? 'Gold' : 'Silver'} ${xeon[2].toUpperCase()}`;
  const gpu = /^(.+)_(\d+)$/.exec(id);
  if (gpu && Object.hasOwn(GPUS, gpu[1])) return `${GPUS[gpu[1]]}, batch ${gpu[2]}`;
  return id;
}

export function describeBenchmarkColumn(name: string): MetricInfo | undefined {
  let m = /^(\w+?)_(valid|test)_(\d+)ep$/.exec(name);
  if (m) return accuracyInfo(`${datasetName(m[1])} ${m[2] === 'valid' ? 'validation' : 'test'} accuracy (${m[3]} epochs)`, 'percent');
  m = /^(\w+?)_(valid|test)$/.exec(name);
  if (m) return accuracyInfo(`${datasetName(m[1])} ${m[2] === 'valid' ? 'validation' : 'test'} accuracy`, 'percent');
  m = /^params_mb_(\w+)$/.exec(name);
  if (m) return countInfo(`Parameters (${datasetName(m[1])})`, 1e6);
  m = /^flops_m_(\w+)$/.exec(name);
  if (m) return countInfo(`FLOPs (${datasetName(m[1])})`, 1e6);
  m = /^lat_ms_(\w+)$/.exec(name);
  if (m) return millisecondsInfo(`Latency on ${deviceName(m[1])}`);
  return undefined;
}
