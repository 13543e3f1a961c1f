import type { TechniqueEntry } from '../schema';

export const csv: TechniqueEntry = {
  name: 'csv',
  kind: 'data',
  summary: 'A table from a CSV file: one example per row, one column is the label.',
  doc: 'Reads a delimited text file relative to the recipe. Every column except `label` is a numeric input feature; the `label` column holds class names or indices (classification) or a number (regression). The number of features and classes is known only when the file is read, so shape checks against the model wait until the run.',
  params: [
    { name: 'path', type: { kind: 'path' }, required: true, positional: true, doc: 'The CSV file, relative to the recipe.' },
    { name: 'label', type: { kind: 'string' }, required: true, doc: 'Name of the label column (or its 0-based index when the file has no header).' },
    {
      name: 'task',
      type: { kind: 'enum', members: [
        { name: 'classification', doc: 'Labels are classes; each distinct value becomes one class.' },
        { name: 'regression', doc: 'The label is a number to predict.' },
      ] },
      default: 'classification',
      doc: 'What the label column holds.',
    },
    { name: 'delimiter', type: { kind: 'string' }, doc: 'Field separator; when absent, tab for `.tsv` files and comma otherwise.' },
    { name: 'header', type: { kind: 'bool' }, default: true, doc: 'The first row names the columns.' },
  ],
  rules: [
    { severity: 'error', param: 'delimiter', message: 'delimiter must be a single character', when: (a) => typeof a['delimiter'] === 'string' && [...a['delimiter']].length !== 1 },
    { severity: 'error', param: 'label', message: 'label must name a column', when: (a) => a['label'] === '' },
  ],
  data: (args) => (args['task'] === 'regression' ? { task: 'regression', targets: 1 } : { task: 'classification' }),
};
