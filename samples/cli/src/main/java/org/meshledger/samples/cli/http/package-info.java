/**
 * A node's operator HTTP/JSON API, built on Vert.x Web over the public API alone: what the CLI's {@code status},
 * {@code submit} and {@code get} talk to, and what an operator's monitoring scrapes.
 *
 * <p><b>Who may call.</b> The API binds to loopback by default; the configuration refuses any other address unless a
 * token guards it, and then every route but {@code /health} checks {@code Authorization: Bearer <token>} in constant
 * time. {@code /health} stays open because load balancers and orchestrators probe it without credentials, and it says
 * no more than whether the node is in sync.
 *
 * <p><b>Hostile input.</b> Every body is bounded before it is read (a transaction's own bound, in hex or base64, and a
 * little JSON); a submitted transaction is decoded by the canonical decoder, which bounds every length before it
 * allocates; paths and query parameters are parsed with a message naming the bad one. Every error is a JSON object
 * {@code {"error": "..."}}: 4xx when the caller can fix it, 5xx when the node failed.
 *
 * <p><b>Threading.</b> Handlers run on the HTTP server's event loop and never block it: the node's reads return
 * futures (the store is read on workers), and the Prometheus scrape runs on a worker.
 */
package org.meshledger.samples.cli.http;
