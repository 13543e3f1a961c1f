// Which reader of imported models (runtime/cli/model-files.ts) a document's checker gets: the
// recipe's folder for a `file:` document, none for an untitled one (its model path has no folder
// to be relative to). One cache per server session, created in ServerState.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelResolver } from '../runtime/checker';
import { modelResolvers } from '../runtime/cli/model-files';

export function modelResolverFor(): (uri: string) => ModelResolver | undefined {
  const byFolder = modelResolvers();
  return (uri) => {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return byFolder(path.dirname(fileURLToPath(uri)));
    } catch {
      return undefined;
    }
  };
}
