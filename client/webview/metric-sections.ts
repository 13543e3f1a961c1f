// Which card each metric goes to, and which section each card sits in: training (loss, accuracy
// and their validation curves on one card each), optimization (lr, grad_norm, effective_step),
// flatness (sharpness, hessian_top_eig), compression (sparsity, N:M conformance, rank, bits, per
// layer on one card each), then anything else. Also what a card's axis says (title, unit,
// percentages for fractions) and which series are smoothed. Pure: no DOM.

import type { SeriesSource } from './series';

export const SECTIONS = ['training', 'optimization', 'flatness', 'compression', 'other'] as const;
export type SectionId = (typeof SECTIONS)[number];

export const SECTION_TITLES: Readonly<Record<SectionId, string>> = {
  training: 'Training',
  optimization: 'Optimization',
  flatness: 'Flatness',
  compression: 'Compression',
  other: 'Other metrics',
};

/**
 * The card of a series: `loss`, `val_loss` and `epoch/loss` share `loss`; `sparsity/dense_1`
 * and `sparsity/dense_2` share `sparsity` (one line per layer).
 */
export function cardOf(series: string): string {
  const name = series.replace(/^epoch\//, '').replace(/^val_/, '');
  const slash = name.indexOf('/');
  return slash > 0 ? name.slice(0, slash) : name;
}

/** The part of a series name that tells its lines apart on a card: `val`, `dense_1`, `epoch` or ''. */
export function lineRole(series: string): string {
  const parts: string[] = [];
  if (series.startsWith('val_')) parts.push('val');
  if (series.startsWith('epoch/')) parts.push('per epoch');
  const slash = series.replace(/^epoch\//, '').indexOf('/');
  if (slash > 0) parts.push(series.replace(/^epoch\//, '').slice(slash + 1));
  return parts.join(' · ');
}

export function sectionOf(card: string): SectionId {
  if (/loss|acc/.test(card)) return 'training';
  if (/^(lr|learning_rate|grad_norm|effective_step|momentum|weight_decay)$/.test(card) || /^lr_/.test(card)) return 'optimization';
  if (/sharp|hessian|eig|flat/.test(card)) return 'flatness';
  if (/^(sparsity|nm_conformance|rank|bits|energy|lsq_scale|scale|zero_point)/.test(card)) return 'compression';
  return 'other';
}

/** Cards in reading order: by section, then loss before accuracy, then by name. */
export function cardOrder(cards: Iterable<string>): string[] {
  const rank = (c: string) => SECTIONS.indexOf(sectionOf(c)) * 10 + (/loss/.test(c) ? 0 : /acc/.test(c) ? 1 : /^lr$/.test(c) ? 2 : 3);
  return [...new Set(cards)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Whether a card's values are fractions in [0, 1] shown as percentages (accuracy, sparsity, conformance). */
export function isFraction(card: string): boolean {
  return /acc|sparsity|conformance|energy/.test(card);
}

/** The y axis' title: the metric and its unit. */
export function axisTitle(card: string): string {
  const unit = UNITS[card];
  const name = card.replace(/_/g, ' ');
  if (isFraction(card)) return `${name} (%)`;
  return unit ? `${name} (${unit})` : name;
}

const UNITS: Readonly<Record<string, string>> = {
  loss: 'nats',
  grad_norm: 'L2',
  lr: 'per step',
  bits: 'bits',
  rank: 'kept',
};

/**
 * Whether a series is drawn smoothed (faint raw line under it): per-step metrics only. NOTE: a
 * per-epoch point is already an average over its epoch, and lr is exact by construction (its
 * schedule); smoothing them only made them lag (a smoothed lr decays late).
 */
export function isSmoothed(series: string, source: SeriesSource): boolean {
  const card = cardOf(series);
  return source === 'step' && card !== 'lr' && card !== 'learning_rate' && card !== 'effective_step';
}

/** W&B's filter box: every whitespace-separated word must occur in the card's name (case-insensitive); an empty filter keeps all. */
export function matchesFilter(card: string, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const name = `${card} ${sectionOf(card)}`.toLowerCase();
  return words.every((w) => name.includes(w));
}
