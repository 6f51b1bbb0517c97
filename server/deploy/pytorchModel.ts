import { nodeInputs, type ExportGraph, type GraphNode } from './exportGraph';

/** A PyTorch export: the source of model.py and the bytes of the weights file it reads. */
export interface PytorchExport {
  readonly source: string;
  readonly weights: Uint8Array;
}

/** File model.py reads its weights from, next to itself. */
export const PYTORCH_WEIGHTS_FILE = 'weights.bin';

/** Python literal of a number (PyTorch reads both 1e-05 and 0.001). */
const py = (v: number) => (Number.isInteger(v) ? String(v) : v.toString());
const tuple = (values: readonly number[]) => (values.length === 1 ? `(${py(values[0])},)` : `(${values.map(py).join(', ')})`);

/** A module of the network: its `__init__` line and the parameters it owns in state-dict order. */
interface ModuleDef {
  readonly init: string;
  readonly parameters: readonly [string, readonly number[], Float32Array][];
}

function moduleOf(node: GraphNode): ModuleDef[] {
  switch (node.op) {
    case 'conv': {
      const [out, inPerGroup, kh, kw] = node.weightShape;
      const [top, left, bottom, right] = node.pads;
      const symmetric = top === bottom && left === right;
      const padding = symmetric ? `, padding=${tuple([top, left])}` : '';
      const groups = node.groups > 1 ? `, groups=${node.groups}` : '';
      const conv: ModuleDef = {
        init: `self.${node.name} = nn.Conv2d(${inPerGroup * node.groups}, ${out}, kernel_size=${tuple([kh, kw])}, stride=${tuple(node.strides)}${padding}${groups}, bias=${node.bias ? 'True' : 'False'})`,
        parameters: [[`${node.name}.weight`, node.weightShape, node.weight], ...(node.bias ? [[`${node.name}.bias`, [node.bias.length], node.bias] as [string, number[], Float32Array]] : [])],
      };
      // TensorFlow's 'same' padding puts the odd row or column after: PyTorch's Conv2d pads evenly.
      const pad: ModuleDef[] = symmetric ? [] : [{ init: `self.${node.name}_pad = nn.ZeroPad2d(${tuple([left, right, top, bottom])})`, parameters: [] }];
      return [...pad, conv];
    }
    case 'batchNorm': {
      const c = node.scale.length;
      return [
        {
          init: `self.${node.name} = nn.BatchNorm2d(${c}, eps=${py(node.epsilon)})`,
          parameters: [
            [`${node.name}.weight`, [c], node.scale],
            [`${node.name}.bias`, [c], node.bias],
            [`${node.name}.running_mean`, [c], node.mean],
            [`${node.name}.running_var`, [c], node.variance],
          ],
        },
      ];
    }
    case 'maxPool':
      return [{ init: `self.${node.name} = nn.MaxPool2d(kernel_size=${tuple(node.kernel)}, stride=${tuple(node.strides)})`, parameters: [] }];
    case 'dense': {
      const [out, features] = node.weightShape;
      return [
        {
          init: `self.${node.name} = nn.Linear(${features}, ${out}, bias=${node.bias ? 'True' : 'False'})`,
          parameters: [[`${node.name}.weight`, node.weightShape, node.weight], ...(node.bias ? [[`${node.name}.bias`, [out], node.bias] as [string, number[], Float32Array]] : [])],
        },
      ];
    }
    default:
      return [];
  }
}

function expression(node: GraphNode, arg: (value: string) => string, rank: number): string {
  const x = arg(node.input);
  switch (node.op) {
    case 'conv':
      return node.pads[0] === node.pads[2] && node.pads[1] === node.pads[3] ? `self.${node.name}(${x})` : `self.${node.name}(self.${node.name}_pad(${x}))`;
    case 'batchNorm':
      // BatchNorm2d checks for 4-D input; a batch norm over features is the same arithmetic on [N, C, 1, 1].
      return rank === 4 ? `self.${node.name}(${x})` : `self.${node.name}(${x}[:, :, None, None])[:, :, 0, 0]`;
    case 'maxPool':
    case 'dense':
      return `self.${node.name}(${x})`;
    case 'activation':
      return { relu: `torch.relu(${x})`, relu6: `F.relu6(${x})`, sigmoid: `torch.sigmoid(${x})`, tanh: `torch.tanh(${x})`, softmax: `torch.softmax(${x}, dim=-1)` }[node.fn];
    case 'globalAvgPool':
      return `${x}.mean(dim=(2, 3))`;
    case 'flatten':
      return `torch.flatten(${x}, 1)`;
    case 'transpose':
      return `${x}.permute(${node.perm.join(', ')})`;
    case 'add':
      return `${x} + ${arg(node.other)}`;
  }
}

/**
 * model.py for an ExportGraph: an nn.Module with one attribute per layer, named as the
 * architecture names it, a forward pass with one line per operation, and `load()`, which
 * builds it and reads the weights (float32, little-endian, in the order of WEIGHTS) with
 * PyTorch alone.
 */
export function pytorchModel(graph: ExportGraph, about: { title: string; input: string; output: string }): PytorchExport {
  const modules = graph.nodes.flatMap(moduleOf);
  const parameters = modules.flatMap((m) => m.parameters);

  // Values read by a node other than the next one are kept in a variable of their own; the chain runs through x.
  const readers = new Map<string, number[]>();
  graph.nodes.forEach((node, k) => nodeInputs(node).forEach((v) => readers.set(v, [...(readers.get(v) ?? []), k])));
  const kept = new Set([graph.input, ...graph.nodes.filter((node, k) => (readers.get(node.output) ?? []).some((r) => r !== k + 1)).map((n) => n.output)]);
  const ranks = new Map<string, number>([[graph.input, graph.inputShape.length + 1]]);
  let current = graph.input;
  const lines: string[] = [];
  for (const node of graph.nodes) {
    const arg = (value: string) => (value === current ? 'x' : value);
    const rank = ranks.get(node.input) ?? 2;
    lines.push(`x = ${expression(node, arg, rank)}`);
    if (kept.has(node.output)) lines.push(`${node.output} = x`);
    ranks.set(node.output, node.op === 'globalAvgPool' || node.op === 'flatten' ? 2 : rank);
    current = node.output;
  }
  const forwardHead = kept.has(graph.input) && (readers.get(graph.input) ?? []).some((r) => r !== 0) ? [`${graph.input} = x`] : [];
  // The first node reads the input as x.
  const source = `"""${about.title}

Exported by NAS Studio. Needs PyTorch only:

    from model import load
    model = load()          # eval mode, weights from ${PYTORCH_WEIGHTS_FILE} next to this file
    logits = model(images)  # ${about.input}

Input: float32 [batch, ${graph.inputShape.join(', ')}], ${about.input}.
Output: [batch, ${graph.outputShape.join(', ')}], ${about.output}.
"""
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = ${tuple(graph.inputShape)}


class Model(nn.Module):
    def __init__(self):
        super().__init__()
${modules.map((m) => `        ${m.init}`).join('\n')}

    def forward(self, x):
${[...forwardHead, ...lines].map((l) => `        ${l}`).join('\n')}
        return x


# Tensors of ${PYTORCH_WEIGHTS_FILE}, in order: float32, little-endian.
WEIGHTS = [
${parameters.map(([name, shape]) => `    ("${name}", ${tuple(shape)}),`).join('\n')}
]


def load(path=None):
    """The model in eval mode with its trained weights (default: ${PYTORCH_WEIGHTS_FILE} beside this file)."""
    model = Model()
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), "${PYTORCH_WEIGHTS_FILE}")
    with open(path, "rb") as f:
        data = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
    expected = sum(math.prod(shape) for _, shape in WEIGHTS)
    if data.numel() != expected:
        raise ValueError(f"{path}: {data.numel()} floats, the model needs {expected}")
    state, offset = {}, 0
    for name, shape in WEIGHTS:
        count = math.prod(shape)
        state[name] = data[offset:offset + count].reshape(shape).clone()
        offset += count
    for name, value in model.state_dict().items():
        state.setdefault(name, value)  # batch norms' num_batches_tracked
    model.load_state_dict(state)
    return model.eval()


if __name__ == "__main__":
    model = load()
    print(model)
    print("output for zeros:", model(torch.zeros(1, *INPUT_SHAPE)).shape)
`;
  const total = parameters.reduce((n, [, , values]) => n + values.length, 0);
  const weights = new Float32Array(total);
  let offset = 0;
  for (const [, , values] of parameters) {
    weights.set(values, offset);
    offset += values.length;
  }
  return { source, weights: new Uint8Array(weights.buffer) };
}
