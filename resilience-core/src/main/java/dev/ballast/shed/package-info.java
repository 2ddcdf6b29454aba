/**
 * Load shedding: refusing work early, before it piles up (<em>Release It!</em>, "Shed Load"). A
 * {@link dev.ballast.shed.LoadShedder} refuses by the process's own measurements (latency or
 * queueing delay over a window); an {@link dev.ballast.shed.AdaptiveThrottle} refuses on the client
 * side, locally, in proportion to how much the backend has been refusing (the SRE book's "Handling
 * Overload").
 */
@NullMarked
package dev.ballast.shed;

import org.jspecify.annotations.NullMarked;
