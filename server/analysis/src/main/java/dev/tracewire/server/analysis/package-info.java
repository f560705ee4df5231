/**
 * Trace integrity, pure: no I/O, no clock reads (time is always a parameter). {@link
 * dev.tracewire.server.analysis.TraceIntegrity} assembles spans into traces, pairs the two sides of
 * every hop and yields {@link dev.tracewire.server.analysis.Finding findings} and per-edge {@link
 * dev.tracewire.server.analysis.EdgeStats integrity counts}.
 */
package dev.tracewire.server.analysis;
