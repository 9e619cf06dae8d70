// Image references are shared by build-push and blue-green: they live in the docker capability.
export { isTagName, parseRef, registryOf, repository, withTag, type ImageRef } from '../docker/refs.js';
