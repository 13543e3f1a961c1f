// The data block's settings that need images, against the examples the data source yields, when
// the source states their shape (digits, images, the synthetic generators): augmentations and
// per-channel standardization need channels × height × width, and fixed per-channel statistics
// need one value per channel. Sources whose shape only the file knows are checked at run time.

import { isTechnique, type DataShape, type PlanValue } from '../catalog';
import { CODES } from '../language';
import type { BlockResult } from './blocks';
import { report, type Ctx } from './context';

export function checkDataSettings(ctx: Ctx, data: BlockResult | undefined, shape: DataShape | undefined): void {
  const input = shape?.input;
  if (!data || !input || !isTechnique(data.label)) return;
  const source = `${data.label.name} yields [${input.join(', ')}]`;
  const image = input.length === 3;
  const augment = data.attrs['augment'];
  const first = Array.isArray(augment) ? (augment as readonly PlanValue[]).find(isTechnique) : undefined;
  const augmentNode = data.written.get('augment');
  if (first && !image && augmentNode) {
    report(ctx, CODES.shapeMismatch, 'error', augmentNode.value.span, `${first.name} augments images (channels × height × width), but ${source}`);
  }
  const standardize = data.written.get('standardize');
  if (data.attrs['standardize'] === 'channel' && !image && standardize) {
    report(ctx, CODES.shapeMismatch, 'error', standardize.value.span, `standardize = channel needs images (channels × height × width), but ${source}; use zscore for tables`);
  }
  if (!image) return;
  const channels = input[0] ?? 1;
  for (const name of ['mean', 'std']) {
    const values = data.attrs[name];
    const node = data.written.get(name);
    if (!Array.isArray(values) || !node || values.length === channels) continue;
    report(ctx, CODES.shapeMismatch, 'error', node.value.span, `${name} has ${values.length} value${values.length === 1 ? '' : 's'}, but ${source}: ${channels} channel${channels === 1 ? '' : 's'}`);
  }
}
