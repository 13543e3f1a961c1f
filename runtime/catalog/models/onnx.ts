import type { TechniqueEntry } from '../schema';

export const onnx: TechniqueEntry = {
  name: 'onnx',
  kind: 'model',
  summary: 'Import an existing ONNX model to fine-tune or compress it.',
  doc: 'Loads the model graph and its initial weights from an ONNX file relative to the recipe, as `torch.onnx.export` writes it (opset 13–17, a dynamic batch dim, in eval or training mode) or as Minima exports it. The model block then lists no layers: they are the file\'s weighted nodes, and shapes are checked when the file is read. Every float tensor of the file that reaches the output through a gradient is trained (`freeze` keeps some at their file values); BatchNorm running statistics are buffers; tensors the exporter merged because their values were equal are trained as separate copies (`tie = true` keeps them one). Parameters keep their PyTorch names (`encoder.layers.0.linear1.weight`), rebuilt from the reading node\'s module where the exporter renamed them (`onnx::MatMul_12`). Shape computations (`Shape → Gather → Concat → Reshape`) are evaluated when the file is read, with the batch size as a symbol; an operator Minima cannot train through is an error naming its node (M037, reported by the editor and `minima check`, which read the file). Layers are addressed by PyTorch parameter names, module paths, ONNX node names or globs, in strings (`layers = ["encoder.layers.*.linear*"]`). A flat data source (3072 features) feeds an image model\'s [3, 32, 32] input.',
  params: [
    { name: 'path', type: { kind: 'path' }, required: true, positional: true, doc: 'The `.onnx` file, relative to the recipe.' },
  ],
  rules: [
    { severity: 'warning', param: 'path', message: 'the model file does not end in .onnx', when: (a) => typeof a['path'] === 'string' && !a['path'].toLowerCase().endsWith('.onnx') },
  ],
  layers: [],
};
