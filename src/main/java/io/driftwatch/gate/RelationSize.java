package io.driftwatch.gate;
/** PLACEHOLDER. */
public record RelationSize(long rows, long bytes, boolean estimated) {}
