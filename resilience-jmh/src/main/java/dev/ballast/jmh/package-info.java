/**
 * JMH benchmarks comparing Ballast's policies with Resilience4j and Failsafe, and {@link
 * dev.ballast.jmh.Suite}, which runs them and prints a markdown table.
 */
@NullMarked
package dev.ballast.jmh;

import org.jspecify.annotations.NullMarked;
