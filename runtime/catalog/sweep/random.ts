import type { TechniqueEntry } from '../schema';

export const random: TechniqueEntry = {
  name: 'random',
  kind: 'sweep_strategy',
  summary: 'Trials drawn at random from distributions, seeded by the recipe\'s seed.',
  doc: 'A random sweep draws `trials` points: each path takes a distribution (`choice([…])`, `uniform(a, b)`, `log_uniform(a, b)`) or a list (a choice among its values). The draws come from a PRNG seeded by `recipe { seed }`, so the same recipe always yields the same trials.',
  paper: { title: 'Random Search for Hyper-Parameter Optimization', authors: 'J. Bergstra, Y. Bengio', year: 2012, url: 'https://jmlr.org/papers/v13/bergstra12a.html' },
  params: [],
};
