package dev.ballast.registry;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.governor.Governor;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.timeout.Timeout;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-time commands of <em>Release It!</em> (command and control), addressed by component name
 * through a {@link BallastRegistry}: reset, force open and disable a breaker; resize a bulkhead;
 * retime a timeout; pause and resume a governor; change a rate limiter's limit; set a queue's
 * capacity; give any component a whole new config ({@link #reconfigure}). Each command but the last
 * is logged at WARN with what was done: the registry, pattern and name, and the value before and
 * after ({@code registry=default pattern=circuitbreaker name=inventory command=forceOpen
 * from=CLOSED to=OPEN}); a reconfiguration is logged by the component, at INFO, with every setting
 * that changed, old and new.
 *
 * <p>A name the registry does not hold is refused with an {@link IllegalArgumentException} naming
 * the pattern, the name and the closest name it does hold; a command never creates a component.
 *
 * <p>Thread-safe: each command is the component's own run-time method, which is.
 */
public final class RegistryCommands {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryCommands.class);

  private final BallastRegistry registry;

  RegistryCommands(BallastRegistry registry) {
    this.registry = registry;
  }

  /**
   * Closes the breaker and clears its counts ({@link CircuitBreaker#reset()}).
   *
   * @param name the breaker's name
   */
  public void reset(String name) {
    CircuitBreaker b = breaker(name);
    Object from = b.state();
    b.reset();
    logged(ComponentType.CIRCUIT_BREAKER, name, "reset", from, b.state());
  }

  /**
   * Opens the breaker until reset ({@link CircuitBreaker#forceOpen()}).
   *
   * @param name the breaker's name
   */
  public void forceOpen(String name) {
    CircuitBreaker b = breaker(name);
    Object from = b.state();
    b.forceOpen();
    logged(ComponentType.CIRCUIT_BREAKER, name, "forceOpen", from, b.state());
  }

  /**
   * Lets every call through, counting nothing, until reset ({@link CircuitBreaker#disable()}).
   *
   * @param name the breaker's name
   */
  public void disable(String name) {
    CircuitBreaker b = breaker(name);
    Object from = b.state();
    b.disable();
    logged(ComponentType.CIRCUIT_BREAKER, name, "disable", from, b.state());
  }

  /**
   * Resizes a bulkhead ({@link Bulkhead#changeMaxConcurrentCalls(int)}).
   *
   * @param name the bulkhead's name
   * @param maxConcurrentCalls the new limit
   */
  public void changeMaxConcurrentCalls(String name, int maxConcurrentCalls) {
    Bulkhead b =
        ComponentType.BULKHEAD.cast(registry.entry(ComponentType.BULKHEAD, name).component);
    int from = b.stats().maxConcurrentCalls();
    b.changeMaxConcurrentCalls(maxConcurrentCalls);
    logged(ComponentType.BULKHEAD, name, "changeMaxConcurrentCalls", from, maxConcurrentCalls);
  }

  /**
   * Retimes a timeout for calls that start from now on ({@link Timeout#changeDuration}).
   *
   * @param name the timeout's name
   * @param duration the new duration
   */
  public void changeDuration(String name, Duration duration) {
    notNull("duration", duration);
    Timeout t = ComponentType.TIMEOUT.cast(registry.entry(ComponentType.TIMEOUT, name).component);
    Duration from = t.duration();
    t.changeDuration(duration);
    logged(ComponentType.TIMEOUT, name, "changeDuration", from, duration);
  }

  /**
   * Pauses a governor: it refuses every action until resumed ({@link Governor#pause}).
   *
   * @param name the governor's name
   * @param reason why, for logs and refusals; not blank
   */
  public void pause(String name, String reason) {
    notBlank("reason", reason);
    Governor g = governor(name);
    String from = g.stats().paused() ? "paused" : "running";
    g.pause(reason);
    logged(ComponentType.GOVERNOR, name, "pause", from, "paused (" + reason + ")");
  }

  /**
   * Resumes a paused governor ({@link Governor#resume()}).
   *
   * @param name the governor's name
   */
  public void resume(String name) {
    Governor g = governor(name);
    String from = g.stats().paused() ? "paused" : "running";
    g.resume();
    logged(ComponentType.GOVERNOR, name, "resume", from, "running");
  }

  /**
   * Changes a rate limiter's permits per period ({@link RateLimiter#changeLimit(int)}).
   *
   * @param name the limiter's name
   * @param limitForPeriod the new limit
   */
  public void changeLimit(String name, int limitForPeriod) {
    RateLimiter r =
        ComponentType.RATE_LIMITER.cast(registry.entry(ComponentType.RATE_LIMITER, name).component);
    int from = r.limit();
    r.changeLimit(limitForPeriod);
    logged(ComponentType.RATE_LIMITER, name, "changeLimit", from, limitForPeriod);
  }

  /**
   * Changes a queue's capacity ({@link BoundedQueue#setCapacity(int)}).
   *
   * @param name the queue's name
   * @param capacity the new capacity
   */
  public void setCapacity(String name, int capacity) {
    BoundedQueue<?> q =
        ComponentType.QUEUE.cast(registry.entry(ComponentType.QUEUE, name).component);
    int from = q.stats().capacity();
    q.setCapacity(capacity);
    logged(ComponentType.QUEUE, name, "setCapacity", from, capacity);
  }

  /**
   * Gives the component of {@code type} named {@code name} a new config through its own {@code
   * reconfigure}: its state (counts, windows, permits in flight) survives where the new config
   * allows it, and the component logs one INFO line with the settings that changed, old and new.
   * What is kept, what restarts and what is refused, per pattern: {@code docs/reconfiguration.md}.
   *
   * <p>This is a command like the others, not a registry method: it is {@link
   * #changeMaxConcurrentCalls} and {@link #changeDuration} generalised to every setting, addressed
   * and refused the same way (an unknown name names the closest), and it changes the one component,
   * not the registry's named configs, which other components share and which a later {@link
   * BallastRegistry#reload} re-reads. The component's {@code config()} (through {@link
   * BallastRegistry#find}) answers the new config at once; the registry keeps no second copy that
   * could disagree with it.
   *
   * @param <C> the config type
   * @param type the component's pattern
   * @param name the component's name
   * @param config the new config, whole: start from the component's {@code config().toBuilder()}
   * @throws IllegalArgumentException when the registry holds no such component, naming the closest,
   *     or when the component refuses a setting that cannot change at run time (a ticker, a
   *     scheduler...), naming it; nothing is changed then
   */
  public <C> void reconfigure(ComponentType<?, C> type, String name, C config) {
    notNull("type", type);
    notNull("config", config);
    Entry e = registry.entry(type, name);
    type.reconfigure(e.component, config);
  }

  private CircuitBreaker breaker(String name) {
    return ComponentType.CIRCUIT_BREAKER.cast(
        registry.entry(ComponentType.CIRCUIT_BREAKER, name).component);
  }

  private Governor governor(String name) {
    return ComponentType.GOVERNOR.cast(registry.entry(ComponentType.GOVERNOR, name).component);
  }

  private void logged(
      ComponentType<?, ?> type, String name, String command, Object from, Object to) {
    LOG.warn(
        "registry={} pattern={} name={} command={} from={} to={}",
        registry.name(),
        type.key(),
        name,
        command,
        from,
        to);
  }

  /**
   * @return {@code RegistryCommands[registry]}
   */
  @Override
  public String toString() {
    return "RegistryCommands[" + registry.name() + "]";
  }
}
