package dev.ballast.registry;

import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadConfig;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorConfig;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.queue.BoundedQueueConfig;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.ratelimiter.RateLimiterConfig;
import dev.ballast.retry.Retry;
import dev.ballast.retry.RetryConfig;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.AdaptiveThrottleConfig;
import dev.ballast.shed.LoadShedder;
import dev.ballast.shed.LoadShedderConfig;
import dev.ballast.timeout.Timeout;
import dev.ballast.timeout.TimeoutConfig;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One kind of component a {@link BallastRegistry} holds: a circuit breaker, a bulkhead, a timeout
 * and so on, with the type of its instances ({@code X}) and of its config ({@code C}). The
 * constants are the only instances; {@link #key()} is the segment that names the pattern in
 * property keys ({@code ballast.circuitbreaker.instances.inventory.wait-in-open=30s}).
 *
 * <p>A fallback is not a registry component: it needs a function of the program's own result type,
 * which neither a name nor a property can give.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <X> the component's type
 * @param <C> the component's config type
 */
public final class ComponentType<X, C> {

  /** {@link CircuitBreaker}, key {@code circuitbreaker}. */
  public static final ComponentType<CircuitBreaker, CircuitBreakerConfig> CIRCUIT_BREAKER =
      new ComponentType<>(
          0,
          "circuitbreaker",
          CircuitBreaker.class,
          CircuitBreakerConfig.class,
          CircuitBreakerConfig.Builder.class,
          CircuitBreakerConfig::defaults,
          CircuitBreakerConfig::toBuilder,
          CircuitBreakerConfig.Builder::build,
          CircuitBreaker::of,
          CircuitBreaker::reconfigure,
          CircuitBreaker::config);

  /** {@link Bulkhead}, key {@code bulkhead}. */
  public static final ComponentType<Bulkhead, BulkheadConfig> BULKHEAD =
      new ComponentType<>(
          1,
          "bulkhead",
          Bulkhead.class,
          BulkheadConfig.class,
          BulkheadConfig.Builder.class,
          BulkheadConfig::defaults,
          BulkheadConfig::toBuilder,
          BulkheadConfig.Builder::build,
          Bulkhead::of,
          Bulkhead::reconfigure,
          Bulkhead::config);

  /** {@link ThreadPoolBulkhead}, key {@code threadpoolbulkhead}. */
  public static final ComponentType<ThreadPoolBulkhead, ThreadPoolBulkheadConfig>
      THREAD_POOL_BULKHEAD =
          new ComponentType<>(
              2,
              "threadpoolbulkhead",
              ThreadPoolBulkhead.class,
              ThreadPoolBulkheadConfig.class,
              ThreadPoolBulkheadConfig.Builder.class,
              ThreadPoolBulkheadConfig::defaults,
              ThreadPoolBulkheadConfig::toBuilder,
              ThreadPoolBulkheadConfig.Builder::build,
              ThreadPoolBulkhead::of,
              ThreadPoolBulkhead::reconfigure,
              ThreadPoolBulkhead::config);

  /** {@link Timeout}, key {@code timeout}. */
  public static final ComponentType<Timeout, TimeoutConfig> TIMEOUT =
      new ComponentType<>(
          3,
          "timeout",
          Timeout.class,
          TimeoutConfig.class,
          TimeoutConfig.Builder.class,
          TimeoutConfig::defaults,
          TimeoutConfig::toBuilder,
          TimeoutConfig.Builder::build,
          Timeout::of,
          Timeout::reconfigure,
          Timeout::config);

  /** {@link Retry}, key {@code retry}. */
  public static final ComponentType<Retry, RetryConfig> RETRY =
      new ComponentType<>(
          4,
          "retry",
          Retry.class,
          RetryConfig.class,
          RetryConfig.Builder.class,
          RetryConfig::defaults,
          RetryConfig::toBuilder,
          RetryConfig.Builder::build,
          Retry::of,
          Retry::reconfigure,
          Retry::config);

  /** {@link RateLimiter}, key {@code ratelimiter}. */
  public static final ComponentType<RateLimiter, RateLimiterConfig> RATE_LIMITER =
      new ComponentType<>(
          5,
          "ratelimiter",
          RateLimiter.class,
          RateLimiterConfig.class,
          RateLimiterConfig.Builder.class,
          RateLimiterConfig::defaults,
          RateLimiterConfig::toBuilder,
          RateLimiterConfig.Builder::build,
          RateLimiter::of,
          RateLimiter::reconfigure,
          RateLimiter::config);

  /** {@link LoadShedder}, key {@code loadshedder}. */
  public static final ComponentType<LoadShedder, LoadShedderConfig> LOAD_SHEDDER =
      new ComponentType<>(
          6,
          "loadshedder",
          LoadShedder.class,
          LoadShedderConfig.class,
          LoadShedderConfig.Builder.class,
          LoadShedderConfig::defaults,
          LoadShedderConfig::toBuilder,
          LoadShedderConfig.Builder::build,
          LoadShedder::of,
          LoadShedder::reconfigure,
          LoadShedder::config);

  /** {@link AdaptiveThrottle}, key {@code adaptivethrottle}. */
  public static final ComponentType<AdaptiveThrottle, AdaptiveThrottleConfig> ADAPTIVE_THROTTLE =
      new ComponentType<>(
          7,
          "adaptivethrottle",
          AdaptiveThrottle.class,
          AdaptiveThrottleConfig.class,
          AdaptiveThrottleConfig.Builder.class,
          AdaptiveThrottleConfig::defaults,
          AdaptiveThrottleConfig::toBuilder,
          AdaptiveThrottleConfig.Builder::build,
          AdaptiveThrottle::of,
          AdaptiveThrottle::reconfigure,
          AdaptiveThrottle::config);

  /** {@link Governor}, key {@code governor}. */
  public static final ComponentType<Governor, GovernorConfig> GOVERNOR =
      new ComponentType<>(
          8,
          "governor",
          Governor.class,
          GovernorConfig.class,
          GovernorConfig.Builder.class,
          GovernorConfig::defaults,
          GovernorConfig::toBuilder,
          GovernorConfig.Builder::build,
          Governor::of,
          Governor::reconfigure,
          Governor::config);

  /**
   * {@link BoundedQueue}, key {@code queue}. A queue's element type is the caller's: see {@link
   * BallastRegistry#queue(String, Class)}.
   */
  public static final ComponentType<BoundedQueue<?>, BoundedQueueConfig> QUEUE =
      new ComponentType<>(
          9,
          "queue",
          queueClass(),
          BoundedQueueConfig.class,
          BoundedQueueConfig.Builder.class,
          BoundedQueueConfig::defaults,
          BoundedQueueConfig::toBuilder,
          BoundedQueueConfig.Builder::build,
          BoundedQueue::of,
          BoundedQueue::reconfigure,
          BoundedQueue::config);

  private static final List<ComponentType<?, ?>> ALL =
      List.of(
          CIRCUIT_BREAKER,
          BULKHEAD,
          THREAD_POOL_BULKHEAD,
          TIMEOUT,
          RETRY,
          RATE_LIMITER,
          LOAD_SHEDDER,
          ADAPTIVE_THROTTLE,
          GOVERNOR,
          QUEUE);

  final int index;
  private final String key;
  private final Class<X> type;
  private final Class<C> configType;
  final Class<?> builderType;
  private final Supplier<C> defaults;
  private final Function<C, ?> toBuilder;
  private final Function<Object, C> build;
  private final BiFunction<String, C, X> create;
  private final BiConsumer<X, C> reconfigure;
  private final Function<X, C> configOf;

  private <B> ComponentType(
      int index,
      String key,
      Class<X> type,
      Class<C> configType,
      Class<B> builderType,
      Supplier<C> defaults,
      Function<C, B> toBuilder,
      Function<B, C> build,
      BiFunction<String, C, X> create,
      BiConsumer<X, C> reconfigure,
      Function<X, C> configOf) {
    this.index = index;
    this.key = key;
    this.type = type;
    this.configType = configType;
    this.builderType = builderType;
    this.defaults = defaults;
    this.toBuilder = toBuilder;
    this.build = b -> build.apply(builderType.cast(b));
    this.create = create;
    this.reconfigure = reconfigure;
    this.configOf = configOf;
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // BoundedQueue.class is the class of every queue
  private static Class<BoundedQueue<?>> queueClass() {
    return (Class) BoundedQueue.class;
  }

  /**
   * Every type, in a fixed order.
   *
   * @return the ten types, circuit breaker first
   */
  public static List<ComponentType<?, ?>> values() {
    return ALL;
  }

  /**
   * The pattern's segment in property keys, such as {@code circuitbreaker}.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * The class of this type's components.
   *
   * @return the class, such as {@code CircuitBreaker.class}
   */
  public Class<X> type() {
    return type;
  }

  /**
   * The class of this type's configs.
   *
   * @return the class, such as {@code CircuitBreakerConfig.class}
   */
  public Class<C> configType() {
    return configType;
  }

  C defaults() {
    return defaults.get();
  }

  Object toBuilder(C config) {
    return toBuilder.apply(config);
  }

  C build(Object builder) {
    return build.apply(builder);
  }

  X create(String name, C config) {
    return create.apply(name, config);
  }

  /** Gives {@code component} a new config, keeping its state where it can (its reconfigure). */
  void reconfigure(Object component, Object config) {
    reconfigure.accept(cast(component), castConfig(config));
  }

  /** The config in force in {@code component}. */
  C configOf(Object component) {
    return configOf.apply(cast(component));
  }

  X cast(Object component) {
    return type.cast(component);
  }

  C castConfig(Object config) {
    return configType.cast(config);
  }

  /**
   * @return the key, such as {@code circuitbreaker}
   */
  @Override
  public String toString() {
    return key;
  }
}
