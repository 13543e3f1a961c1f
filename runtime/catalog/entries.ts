// The list of every catalog entry. Adding a technique = one file in a kind folder + one line here.
// Names may repeat across kinds (`mse` is a loss and a calibration), never within one.

import type { TechniqueEntry } from './schema';
import { digits } from './data/digits';
import { moons } from './data/moons';
import { spirals } from './data/spirals';
import { blobs } from './data/blobs';
import { regression } from './data/regression';
import { csv } from './data/csv';
import { idx } from './data/idx';
import { npy } from './data/npy';
import { npz } from './data/npz';
import { images } from './data/images';
import { crop } from './augment/crop';
import { flip } from './augment/flip';
import { mlp } from './models/mlp';
import { cnn } from './models/cnn';
import { onnx } from './models/onnx';
import { dense } from './layers/dense';
import { conv2d } from './layers/conv2d';
import { maxpool } from './layers/maxpool';
import { avgpool } from './layers/avgpool';
import { flatten } from './layers/flatten';
import { dropout } from './layers/dropout';
import { identity } from './activations/identity';
import { relu } from './activations/relu';
import { gelu } from './activations/gelu';
import { tanh } from './activations/tanh';
import { sigmoid } from './activations/sigmoid';
import { none } from './norms/none';
import { layer } from './norms/layer';
import { batch } from './norms/batch';
import { weight } from './norms/weight';
import { spectral } from './norms/spectral';
import { online } from './norms/online';
import { he } from './inits/he';
import { xavier } from './inits/xavier';
import { orthogonal } from './inits/orthogonal';
import { conv_aware } from './inits/conv_aware';
import { cross_entropy } from './losses/cross_entropy';
import { mse as mseLoss } from './losses/mse';
import { sgd } from './optimizers/sgd';
import { adam } from './optimizers/adam';
import { adamw } from './optimizers/adamw';
import { adamp } from './optimizers/adamp';
import { sgdp } from './optimizers/sgdp';
import { lion } from './optimizers/lion';
import { grams } from './optimizers/grams';
import { muon } from './optimizers/muon';
// A14 AuON, A15 Bloop, A16 gradient regularization, A20 DeepZero, A21 DCT projection.
import { auon } from './optimizers/auon';
import { dct_adam } from './optimizers/dct_adam';
import { bloop } from './wrappers/bloop';
import { gr } from './wrappers/gr';
import { deepzero } from './wrappers/deepzero';
import { sam } from './wrappers/sam';
import { asam } from './wrappers/asam';
import { sam_on } from './wrappers/sam_on';
import { gam } from './wrappers/gam';
import { fsam } from './wrappers/fsam';
import { saf } from './wrappers/saf';
import { dp_sat } from './wrappers/dp_sat';
import { constant } from './schedules/constant';
import { step } from './schedules/step';
import { multistep } from './schedules/multistep';
import { cosine } from './schedules/cosine';
import { warmup } from './schedules/warmup';
import { linear } from './schedules/linear';
import { weight_decay } from './regularizers/weight_decay';
import { mixup } from './regularizers/mixup';
import { least_volume } from './regularizers/least_volume';
import { magnitude } from './prune/magnitude';
import { grid } from './sweep/grid';
import { random } from './sweep/random';
import { choice } from './sweep/choice';
import { uniform } from './sweep/uniform';
import { log_uniform } from './sweep/log_uniform';
import { asha } from './sweep/asha';
import { srste } from './prune/srste';
import { oneshot } from './prune/oneshot';
import { gradual } from './prune/gradual';
import { obc } from './prune/obc';
import { svd } from './lowrank/svd';
import { trp } from './lowrank/trp';
import { fwsvd } from './lowrank/fwsvd';
import { ptq } from './quantize/ptq';
import { qat } from './quantize/qat';
import { minmax } from './quantize/minmax';
import { percentile } from './quantize/percentile';
import { mse as mseCalibration } from './quantize/mse';
import { loss } from './metrics/loss';
import { accuracy } from './metrics/accuracy';
import { lr } from './metrics/lr';
import { grad_norm } from './metrics/grad_norm';
import { sparsity } from './metrics/sparsity';
import { sharpness } from './metrics/sharpness';
import { hessian_top_eig } from './metrics/hessian_top_eig';
import { weight_norm } from './metrics/weight_norm';
import { effective_step } from './metrics/effective_step';
import { nm_conformance } from './metrics/nm_conformance';
// Issue 15: N:M training methods and their metric.
import { transposable } from './prune/transposable';
import { pgf } from './prune/pgf';
import { bimask } from './prune/bimask';
import { art } from './prune/art';
import { jackpot } from './prune/jackpot';
import { hypersparse } from './regularizers/hypersparse';
import { flip_rate } from './metrics/flip_rate';

export const ENTRIES: readonly TechniqueEntry[] = [
  // data
  digits, moons, spirals, blobs, regression, csv, idx, npy, npz, images,
  // augmentations
  crop, flip,
  // models
  mlp, cnn, onnx,
  // layers
  dense, conv2d, maxpool, avgpool, flatten, dropout,
  // activations
  identity, relu, gelu, tanh, sigmoid,
  // norms
  none, layer, batch, weight, spectral,
  online,
  // inits
  he, xavier, orthogonal, conv_aware,
  // losses
  cross_entropy, mseLoss,
  // optimizers
  sgd, adam, adamw, adamp, sgdp, lion, grams, muon,
  auon, dct_adam,
  // wrappers
  sam, asam, sam_on, gam, fsam, saf, dp_sat,
  bloop, gr, deepzero,
  // schedules
  constant, step, multistep, cosine, warmup, linear,
  // regularizers
  weight_decay, mixup, least_volume,
  // prune
  magnitude, srste, oneshot, gradual, obc,
  // lowrank
  svd, trp, fwsvd,
  // quantize
  ptq, qat, minmax, percentile, mseCalibration,
  // metrics
  loss, accuracy, lr, grad_norm, sparsity, sharpness, hessian_top_eig, weight_norm, effective_step, nm_conformance,
  // Issue 15: N:M training methods and their metric.
  transposable, pgf, bimask, art, jackpot, hypersparse, flip_rate,
  // sweeps
  grid, random, choice, uniform, log_uniform, asha,
];
