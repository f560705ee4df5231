/**
 * The server's one internal span model. Ingest decodes OTLP and Zipkin into {@link
 * dev.tracewire.server.model.Span}; storage, query and analysis read it.
 */
package dev.tracewire.server.model;
