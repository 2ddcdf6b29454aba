/**
 * The governor (<em>Release It!</em>, "Governor"): it limits the speed of an automated engine (an
 * autoscaler, a deployer, a cleanup job) so that humans have time to get involved. A {@link
 * dev.ballast.governor.Governor} rates each named action kind, resists actions that take the system
 * away from its normal operating band (more the farther they go), and asks for an explicit human
 * confirmation when the engine's own view of the world disagrees with what an observer reports.
 */
@NullMarked
package dev.ballast.governor;

import org.jspecify.annotations.NullMarked;
