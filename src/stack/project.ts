// Compose project names are shared by stack and smoke: they live in the docker capability.
export { PROJECT_NAME, projectName, sanitize } from '../docker/project.js';
