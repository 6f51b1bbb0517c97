import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOnnxRuntime } from '../runtime/onnxRuntime';

/** The Python that runs exported PyTorch models: Debian's (python3-torch), else the first on PATH. */
export function pythonCommand(): string {
  return process.env.NAS_STUDIO_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** Output of an ONNX model in onnxruntime (CPU), or why it could not run: onnxruntime-node is optional. */
export async function runOnnx(file: string, input: Float32Array, shape: readonly number[]): Promise<{ output: Float32Array; runtime: string } | { unavailable: string }> {
  const ort = loadOnnxRuntime();
  if ('unavailable' in ort) return ort;
  const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'] });
  try {
    const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [...shape]) });
    return { output: result[session.outputNames[0]].data as Float32Array, runtime: `onnxruntime ${ort.env.versions.node ?? ''}`.trim() };
  } finally {
    await session.release();
  }
}

/** Runs model.py's `load()` on the input in a Python process; reports torch's version. */
const RUN_PYTORCH = `
import importlib.util, struct, sys
import torch
spec = importlib.util.spec_from_file_location("exported_model", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
shape = [int(d) for d in sys.argv[3].split(",")]
with open(sys.argv[2], "rb") as f:
    x = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(shape)
with torch.no_grad():
    y = module.load()(x).contiguous().flatten().tolist()
with open(sys.argv[4], "wb") as f:
    f.write(struct.pack("<%df" % len(y), *y))
print(torch.__version__)
`;

/** Output of an exported model.py in PyTorch, or why it could not run (no Python, no torch). */
export function runPytorch(modelPy: string, input: Float32Array, shape: readonly number[]): { output: Float32Array; runtime: string } | { unavailable: string } {
  const python = pythonCommand();
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { unavailable: `PyTorch is not available to ${python} (install python3-torch, or set NAS_STUDIO_PYTHON)` };
  const dir = mkdtempSync(join(tmpdir(), 'nas-studio-pytorch-'));
  try {
    const [xFile, yFile] = [join(dir, 'x.bin'), join(dir, 'y.bin')];
    writeFileSync(xFile, new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
    const run = spawnSync(python, ['-c', RUN_PYTORCH, modelPy, xFile, shape.join(','), yFile], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`PyTorch could not run ${modelPy}: ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
    const bytes = readFileSync(yFile);
    return { output: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), runtime: `PyTorch ${run.stdout.trim()}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
