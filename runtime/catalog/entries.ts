// The list of every catalog entry. Adding a technique = one file in a kind folder + one line here.

import type { TechniqueEntry } from './schema';
import { digits } from './data/digits';
import { dense } from './layers/dense';
import { sgd } from './optimizers/sgd';
import { sam } from './wrappers/sam';

export const ENTRIES: readonly TechniqueEntry[] = [digits, dense, sgd, sam];
