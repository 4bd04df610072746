import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Security headers on every response of the portal and the API.
 *
 * The CSP fits the built portal: its scripts, styles and fonts are files of its own origin, and it
 * talks only to its own API (fetch and the event stream). Mantine writes <style> tags and React
 * writes style attributes at run time, so styles need 'unsafe-inline'; scripts do not. The launch
 * form checks a path's parameters against their JSON Schema in the browser with Ajv, which compiles
 * each schema into a function: without 'unsafe-eval' the form silently stops validating (seen in
 * Chromium). Inline and foreign scripts stay refused; precompiled validators in the portal would
 * let 'unsafe-eval' go. Small icons come as data: URIs. Nothing may frame the portal (clickjacking),
 * and it sends no Referer, which could carry an environment's URL to another site; nothing in the
 * portal reads it.
 * No Strict-Transport-Security: the embedded platform speaks plain HTTP on a laptop; HSTS belongs to
 * the TLS proxy in front of a shared installation.
 */
export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-eval'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    strictTransportSecurity: false,
  });
}
