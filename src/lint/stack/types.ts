import type { Severity } from '../types.js';
import type { Directive } from './nginx.js';
import type { HaSection } from './haproxy.js';

/** A place in a file of the project (path relative to the cwd, as the formats print it). */
export interface At {
  file: string;
  line: number;
}

export interface Located<T> extends At {
  value: T;
}

/** One bind mount, `configs:` or `secrets:` entry, or COPY/ADD: a container path fed from the project. */
export interface Feed {
  /** Absolute path on the host (inside the project), or undefined for a named volume. */
  source?: string;
  target: string;
  at: At;
  /** How the user wrote the source, for messages. */
  written: string;
}

export interface Port extends At {
  /** Host side as written after interpolation (`8080`, `127.0.0.1:8080`, a range), or undefined. */
  published?: string;
  target: string;
}

export interface Healthcheck extends At {
  /** `CMD`/`CMD-SHELL`/`NONE` list, or a shell string. */
  test?: string[] | string;
  disable: boolean;
}

/** What the Dockerfile a service builds tells about the image (its last stage). */
export interface ImageInfo {
  dockerfile: string;
  env: Map<string, Located<string>>;
  expose: string[];
  healthcheck?: Healthcheck;
  cmd?: Located<string[] | string>;
  entrypoint?: Located<string[] | string>;
  copies: Feed[];
  /** Shell text of every RUN of the last stage, with its line. */
  runs: Located<string>[];
}

/** A compose service as lint sees it, with where each part is written. */
export interface Service {
  name: string;
  at: At;
  image?: string;
  build?: { context: string; dockerfile: string; at: At };
  command?: Located<string[] | string>;
  entrypoint?: Located<string[] | string>;
  environment: Map<string, Located<string>>;
  ports: Port[];
  containerName?: Located<string>;
  hostname?: string;
  aliases: string[];
  replicas?: Located<number>;
  healthcheck?: Healthcheck;
  feeds: Feed[];
  /** Filled in once the Dockerfile is read. */
  imageInfo?: ImageInfo;
}

export interface NginxFile {
  /** Path relative to the cwd, as findings print it. */
  file: string;
  /** Where it lands in the container. */
  target: string;
  directives: Directive[];
  text: string;
}

export interface HaproxyFile {
  file: string;
  target: string;
  sections: HaSection[];
  text: string;
}

/** A service that holds a load balancer configuration. */
export interface Balancer {
  service: Service;
  nginx: NginxFile[];
  haproxy: HaproxyFile[];
  /** Every file the service gets, container path → host path (inside the project). */
  files: Map<string, { source: string; at: At }>;
  /** Shell scripts the service runs (entrypoint/command scripts found in `files`), with their text. */
  scripts: { file: string; target: string; text: string }[];
}

export interface StackFinding extends At {
  code: string;
  message: string;
  severity?: Severity;
}

/** Everything the stack rules look at. */
export interface Stack {
  root: string;
  composeFiles: string[];
  services: Map<string, Service>;
  /** Names a container of the stack answers to on its networks (service names, aliases, container names). */
  hostnames: Map<string, Service>;
  balancers: Balancer[];
  /** Text of every file read, by relative path (for pragmas). */
  texts: Map<string, { text: string; kind: 'compose' | 'nginx' | 'haproxy' | 'dockerfile' | 'script' }>;
  /** Options the rules take. */
  options: StackOptions;
  /** Scripts of every service (entrypoint/command scripts), for the signal rules. */
  scripts: Map<Service, { file: string; target: string; text: string }[]>;
  /** Host path of every file every service gets, by service. */
  files: Map<Service, Map<string, { source: string; at: At }>>;
}

export interface StackOptions {
  /** Warn when a certificate expires within this many days. */
  certDays: number;
  /** Longest resolver `valid=` (seconds) before a scale-up waits too long. */
  maxResolverValid: number;
  /** Bytes; bigger files are not read. */
  maxFileSize: number;
  now: Date;
}
