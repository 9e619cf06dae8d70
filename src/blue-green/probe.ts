/** One-off HTTP GETs the blue-green step makes itself (asking the LB what it routes): the shared I/O layer's. */
export { httpGet, type HttpAnswer } from '../io/http.js';
