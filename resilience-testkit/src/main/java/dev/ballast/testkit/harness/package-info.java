/**
 * A loopback test harness that stands in for the remote end of a call and misbehaves on purpose:
 * one port per {@link dev.ballast.testkit.harness.Misbehavior} (refused connections, silence,
 * resets, drips, garbage, HTTP error statuses, slow or huge bodies), switched on and off at run
 * time.
 *
 * <p>It uses only JDK sockets and needs neither Ballast nor any other library, so it can test a
 * client protected by any resilience library, written in any language.
 */
@NullMarked
package dev.ballast.testkit.harness;

import org.jspecify.annotations.NullMarked;
