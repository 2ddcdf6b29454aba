/**
 * Pictures of behaviour over time: a {@link dev.ballast.testkit.timeline.Timeline} listens to
 * Ballast components (or lanes fed by hand) while a scenario runs, in virtual or real time, and
 * draws what they did as a self-contained SVG: lanes with state bands, outcome ticks, a latency
 * line, rejection marks, retries with their back-off, limits and levels, over a time axis. The
 * pattern pages of the docs show pictures drawn this way from scripted scenarios.
 */
@NullMarked
package dev.ballast.testkit.timeline;

import org.jspecify.annotations.NullMarked;
