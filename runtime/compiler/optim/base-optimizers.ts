// The optimizers that can serve as Muon's `aux` (every optimizer but Muon itself, which cannot
// update 1-D parameters). Kept apart from index.ts so muon.ts can compose them without a cycle.

import { adam, adamw } from './adam';
import { adamp } from './adamp';
import { grams } from './grams';
import { lion } from './lion';
import { sgd } from './sgd';
import { sgdp } from './sgdp';
import type { OptimizerBuilder } from './types';

export const BASE_OPTIMIZERS: ReadonlyMap<string, OptimizerBuilder> = new Map([sgd, adam, adamw, adamp, sgdp, lion, grams].map((b) => [b.name, b]));
