/**
 * Realistic traffic with injected trace-context faults and their ground truth: feeds the server's
 * demo, the accuracy test and the analysis benchmark.
 */
package dev.tracewire.server.simulator;
