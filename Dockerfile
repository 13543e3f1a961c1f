# The `minima` command in a container, for sweeps on Kubernetes (`minima sweep --on kubernetes
# --emit job.yaml` writes an Indexed Job that runs this image) or anywhere else without Node:
#
#   docker build -t minima:latest .
#   docker run --rm -v "$PWD:/workspace" minima:latest minima sweep recipe.minima
#
# Node 20 on Debian (slim); `npm ci` installs the locked dependencies and builds the TypeScript
# (the `prepare` script), then the development dependencies are dropped. onnxruntime-node's CPU
# binaries come in its npm package (its GPU download is skipped by .npmrc), so runs use the
# native backend, or wasm where it cannot load.
FROM node:20-slim

ENV NODE_ENV=production \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

WORKDIR /opt/minima
COPY . .
RUN npm ci --include=dev \
 && npm prune --omit=dev \
 && npm cache clean --force \
 && ln -s /opt/minima/bin/minima.js /usr/local/bin/minima \
 && minima --version

# The recipe's folder is mounted here (a PersistentVolumeClaim in the emitted Job); trials write
# their run folders under .minima/sweeps/ inside it.
WORKDIR /workspace
USER node
CMD ["minima", "--help"]
