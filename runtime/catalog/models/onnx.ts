import type { TechniqueEntry } from '../schema';

export const onnx: TechniqueEntry = {
  name: 'onnx',
  kind: 'model',
  summary: 'Import an existing ONNX model to fine-tune or compress it.',
  doc: 'Loads the model graph and its initial weights from an ONNX file relative to the recipe. The model block then lists no layers: layers are named after the file\'s weighted nodes when the file is read, and shapes are checked when the run starts.',
  params: [
    { name: 'path', type: { kind: 'path' }, required: true, positional: true, doc: 'The `.onnx` file, relative to the recipe.' },
  ],
  rules: [
    { severity: 'warning', param: 'path', message: 'the model file does not end in .onnx', when: (a) => typeof a['path'] === 'string' && !a['path'].toLowerCase().endsWith('.onnx') },
  ],
  layers: [],
};
