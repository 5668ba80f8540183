/**
 * GET and HEAD: the requests that carry no body and change nothing, which body limits skip, caches keep and
 * replicas may answer (edge and region alike).
 */
export const isRead = (method: string): boolean => method === 'GET' || method === 'HEAD';
