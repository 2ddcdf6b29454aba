package dev.ballast.registry;

/**
 * How a component, or a whole instance, is doing, in the three words a probe needs; declared from
 * the mildest to the most severe, so that an instance's status is the most severe of its
 * components'.
 *
 * <p>The line between the last two is whose trouble it is. {@link #DEGRADED} is somebody else's: a
 * dependency failing (a breaker open, a throttle refusing for a backend that refuses, a queue's
 * consumer stalled) or an operator's hold (a breaker forced open, a governor paused). Sending this
 * instance less traffic would not help, and restarting it would not either. {@link #OVERLOADED} is
 * this process's own: it has more work than it can take now (a bulkhead full, a pool and its queue
 * full, a load shedder shedding, a queue full because its consumers are slower than its producers),
 * and less traffic is exactly the cure. See {@link HealthSnapshot} for the roll-up. Immutable and
 * thread-safe.
 */
public enum HealthStatus {
  /** Working as configured. */
  UP,
  /**
   * Working, but some calls are refused or held back for a reason outside this process's capacity:
   * a dependency's trouble or an operator's hold. The instance stays ready and live.
   */
  DEGRADED,
  /** This process has more work than it can take now: the instance is not ready. */
  OVERLOADED
}
