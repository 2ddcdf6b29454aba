package dev.ballast.internal;

/**
 * The one rule for adding a suppressed exception to an exception Ballast did not create (a user's
 * fallback function may throw one shared, preallocated instance on every call): never grow it
 * without bound. Not API.
 *
 * <p>Thread-safe as {@link Throwable#addSuppressed} is. Threads adding to one shared exception at
 * the same moment may each see room for one more, so the cap holds give or take those racing
 * threads; it never grows with the number of calls.
 */
public final class Suppression {

  /** The most suppressed exceptions Ballast lets an exception hold. */
  public static final int MAX = 8;

  private Suppression() {}

  /**
   * Adds {@code suppressed} to {@code target}'s suppressed exceptions, unless {@code target}
   * already holds {@link #MAX} of them or this very instance, is {@code suppressed} itself, or is a
   * {@link VirtualMachineError} (which the JVM may preallocate and share).
   *
   * @param target the exception that reaches the caller
   * @param suppressed the exception it replaces
   * @return whether {@code suppressed} was added
   */
  public static boolean addCapped(Throwable target, Throwable suppressed) {
    Preconditions.notNull("target", target);
    Preconditions.notNull("suppressed", suppressed);
    if (target == suppressed || target instanceof VirtualMachineError) {
      return false;
    }
    Throwable[] held = target.getSuppressed();
    if (held.length >= MAX) {
      return false;
    }
    for (Throwable t : held) {
      if (t == suppressed) {
        return false;
      }
    }
    target.addSuppressed(suppressed);
    return true;
  }
}
