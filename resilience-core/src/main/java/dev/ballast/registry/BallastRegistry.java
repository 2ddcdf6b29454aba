package dev.ballast.registry;

import static dev.ballast.internal.Preconditions.notBlank;
import static dev.ballast.internal.Preconditions.notNull;
import static dev.ballast.internal.Preconditions.positive;

import dev.ballast.Subscription;
import dev.ballast.Ticker;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.bulkhead.BulkheadConfig;
import dev.ballast.bulkhead.ThreadPoolBulkhead;
import dev.ballast.bulkhead.ThreadPoolBulkheadConfig;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.circuitbreaker.CircuitBreakerConfig;
import dev.ballast.governor.Governor;
import dev.ballast.governor.GovernorConfig;
import dev.ballast.internal.Listeners;
import dev.ballast.internal.ThrottledLog;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registry for the named components of every pattern: circuit breakers, bulkheads, thread-pool
 * bulkheads, timeouts, retries, rate limiters, load shedders, adaptive throttles, governors and
 * bounded queues, each created on first use from a named shared config and found again by name.
 *
 * <pre>{@code
 * BallastRegistry registry = BallastRegistry.builder().properties(properties).build();
 * CircuitBreaker inventory = registry.circuitBreaker("inventory");        // config "default"
 * CircuitBreaker payments = registry.circuitBreaker("payments", "slow");  // config "slow"
 * }</pre>
 *
 * <p><b>Configs.</b> Each pattern has a config named {@code default}: the pattern's defaults,
 * unless one is given in code ({@link Builder#config}) or in properties under that name. A named
 * config inherits from {@code default}, or from the config its {@code base-config} names, and
 * changes what it sets. An instance starts from the config object given in code, else from the
 * config its properties name ({@code instances.<name>.config}), else from the config name given in
 * code, else from {@code default}; its own properties ({@code instances.<name>.<key>}) apply on
 * top. Every key is listed in {@code docs/operating.md}; an unknown key, a bad value, an unknown
 * config or a cycle of {@code base-config}s fails {@link Builder#build()}, naming the key.
 *
 * <p><b>Creation</b> is idempotent and thread-safe: every caller asking for one name gets the one
 * instance, created once. Asking again by name alone returns it whatever made it; asking again with
 * another config name or another config object than the one that made it is refused with an {@link
 * IllegalStateException} (two parts of a program that disagree on a breaker's settings is a bug to
 * see, not to hide). A queue also keeps the element type it was asked with ({@link #queue(String,
 * Class)}). The registry holds at most {@link Builder#maxInstances} components (1000 unless set),
 * so names built from user input can never grow it without bound.
 *
 * <p>A fallback is not held here: it needs a function of the program's own result type, which
 * neither a name nor a property can give.
 *
 * <p><b>Changing configs at run time:</b> one component by name with {@link
 * RegistryCommands#reconfigure}, or every component an edited properties file changes with {@link
 * #reload(Map)}; both keep the components' state where the new config allows it.
 *
 * <p>Thread-safe. Lookups of existing components take no lock and allocate nothing; creation,
 * removal, {@link #reload(Map)} and {@link #close()} take one lock, and tell {@link
 * RegistryListener}s after releasing it.
 */
public final class BallastRegistry implements AutoCloseable {
  /** The most components a registry holds unless {@link Builder#maxInstances} says otherwise. */
  public static final int DEFAULT_MAX_INSTANCES = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(BallastRegistry.class);
  private static final Listeners.Event1<RegistryListener, Entry> ADDED =
      (l, e, error, x, y) -> l.onAdded(e.type, e.name, e.component);
  private static final Listeners.Event1<RegistryListener, Entry> REMOVED =
      (l, e, error, x, y) -> l.onRemoved(e.type, e.name, e.component);

  private final String name;
  private final int maxInstances;
  private final Map<ComponentType<?, ?>, Map<String, Object>> code;
  private volatile Configs configs; // replaced by reload under lock; creation reads it under lock
  private final List<ConcurrentHashMap<String, Entry>> byType = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Listeners<RegistryListener> listeners;
  private final RegistryCommands commands;
  private int size; // guarded by lock
  private boolean closed; // guarded by lock

  private BallastRegistry(Builder b) {
    this.name = b.name;
    this.maxInstances = b.maxInstances;
    Map<ComponentType<?, ?>, Map<String, Object>> inCode = new HashMap<>();
    b.code.forEach((type, named) -> inCode.put(type, Map.copyOf(named)));
    this.code = Map.copyOf(inCode);
    this.configs = new Configs(code, PropertySource.read(b.properties));
    for (int i = 0; i < ComponentType.values().size(); i++) {
      byType.add(new ConcurrentHashMap<>());
    }
    String owner = "registry '" + name + "'";
    this.listeners = new Listeners<>(owner, new ThrottledLog(LOG, owner, Ticker.system()));
    this.commands = new RegistryCommands(this);
  }

  /**
   * Starts a registry.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A registry with every pattern's defaults and no properties.
   *
   * @return a new registry
   */
  public static BallastRegistry ofDefaults() {
    return builder().build();
  }

  /**
   * A registry configured by the {@code ballast.*} entries of {@code properties}.
   *
   * @param properties keys and values; keys outside {@code ballast.} are ignored
   * @return a new registry
   * @throws IllegalArgumentException on an unknown key or a bad value, naming it
   */
  public static BallastRegistry fromProperties(Map<String, String> properties) {
    return builder().properties(properties).build();
  }

  /**
   * The breaker named {@code name}, created from its config on first use.
   *
   * @param name the breaker's name, not blank
   * @return the one breaker of that name
   * @throws IllegalStateException when the registry is full or closed
   */
  public CircuitBreaker circuitBreaker(String name) {
    return obtain(ComponentType.CIRCUIT_BREAKER, name, null, null, null);
  }

  /**
   * The breaker named {@code name}, created from the config named {@code configName} on first use.
   *
   * @param name the breaker's name, not blank
   * @param configName a config known to this registry
   * @return the one breaker of that name
   * @throws IllegalArgumentException when no config has that name
   * @throws IllegalStateException when the breaker exists from another config, or the registry is
   *     full or closed
   */
  public CircuitBreaker circuitBreaker(String name, String configName) {
    return obtain(
        ComponentType.CIRCUIT_BREAKER, name, notBlank("configName", configName), null, null);
  }

  /**
   * The breaker named {@code name}, created from {@code config} on first use.
   *
   * @param name the breaker's name, not blank
   * @param config its config
   * @return the one breaker of that name
   * @throws IllegalStateException when the breaker exists from another config, or the registry is
   *     full or closed
   */
  public CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig config) {
    return obtain(ComponentType.CIRCUIT_BREAKER, name, null, notNull("config", config), null);
  }

  /**
   * Like {@link #circuitBreaker(String)}.
   *
   * @param name the name
   * @return the one bulkhead
   */
  public Bulkhead bulkhead(String name) {
    return obtain(ComponentType.BULKHEAD, name, null, null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, String)}.
   *
   * @param name the name
   * @param configName a config
   * @return the one bulkhead
   */
  public Bulkhead bulkhead(String name, String configName) {
    return obtain(ComponentType.BULKHEAD, name, notBlank("configName", configName), null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, CircuitBreakerConfig)}.
   *
   * @param name the name
   * @param config its config
   * @return the one bulkhead
   */
  public Bulkhead bulkhead(String name, BulkheadConfig config) {
    return obtain(ComponentType.BULKHEAD, name, null, notNull("config", config), null);
  }

  /**
   * Like {@link #circuitBreaker(String)}.
   *
   * @param name the name
   * @return the one pool
   */
  public ThreadPoolBulkhead threadPoolBulkhead(String name) {
    return obtain(ComponentType.THREAD_POOL_BULKHEAD, name, null, null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, String)}.
   *
   * @param name the name
   * @param configName a config
   * @return the one pool
   */
  public ThreadPoolBulkhead threadPoolBulkhead(String name, String configName) {
    return obtain(
        ComponentType.THREAD_POOL_BULKHEAD, name, notBlank("configName", configName), null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, CircuitBreakerConfig)}.
   *
   * @param name the name
   * @param config its config
   * @return the one pool
   */
  public ThreadPoolBulkhead threadPoolBulkhead(String name, ThreadPoolBulkheadConfig config) {
    return obtain(ComponentType.THREAD_POOL_BULKHEAD, name, null, notNull("config", config), null);
  }

  /**
   * Like {@link #circuitBreaker(String)}.
   *
   * @param name the name
   * @return the one timeout
   */
  public Timeout timeout(String name) {
    return obtain(ComponentType.TIMEOUT, name, null, null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, String)}.
   *
   * @param name the name
   * @param configName a config
   * @return the one timeout
   */
  public Timeout timeout(String name, String configName) {
    return obtain(ComponentType.TIMEOUT, name, notBlank("configName", configName), null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, CircuitBreakerConfig)}.
   *
   * @param name the name
   * @param config its config
   * @return the one timeout
   */
  public Timeout timeout(String name, TimeoutConfig config) {
    return obtain(ComponentType.TIMEOUT, name, null, notNull("config", config), null);
  }

  /**
   * Like {@link #circuitBreaker(String)}.
   *
   * @param name the name
   * @return the one retry
   */
  public Retry retry(String name) {
    return obtain(ComponentType.RETRY, name, null, null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, String)}.
   *
   * @param name the name
   * @param configName a config
   * @return the one retry
   */
  public Retry retry(String name, String configName) {
    return obtain(ComponentType.RETRY, name, notBlank("configName", configName), null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, CircuitBreakerConfig)}.
   *
   * @param name the name
   * @param config its config
   * @return the one retry
   */
  public Retry retry(String name, RetryConfig config) {
    return obtain(ComponentType.RETRY, name, null, notNull("config", config), null);
  }

  /**
   * Like {@link #circuitBreaker(String)}.
   *
   * @param name the name
   * @return the one rate limiter
   */
  public RateLimiter rateLimiter(String name) {
    return obtain(ComponentType.RATE_LIMITER, name, null, null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, String)}.
   *
   * @param name the name
   * @param configName a config
   * @return the one rate limiter
   */
  public RateLimiter rateLimiter(String name, String configName) {
    return obtain(ComponentType.RATE_LIMITER, name, notBlank("configName", configName), null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, CircuitBreakerConfig)}.
   *
   * @param name the name
   * @param config its config
   * @return the one rate limiter
   */
  public RateLimiter rateLimiter(String name, RateLimiterConfig config) {
    return obtain(ComponentType.RATE_LIMITER, name, null, notNull("config", config), null);
  }

  /**
   * Like {@link #circuitBreaker(String)}.
   *
   * @param name the name
   * @return the one load shedder
   */
  public LoadShedder loadShedder(String name) {
    return obtain(ComponentType.LOAD_SHEDDER, name, null, null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, String)}.
   *
   * @param name the name
   * @param configName a config
   * @return the one load shedder
   */
  public LoadShedder loadShedder(String name, String configName) {
    return obtain(ComponentType.LOAD_SHEDDER, name, notBlank("configName", configName), null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, CircuitBreakerConfig)}.
   *
   * @param name the name
   * @param config its config
   * @return the one load shedder
   */
  public LoadShedder loadShedder(String name, LoadShedderConfig config) {
    return obtain(ComponentType.LOAD_SHEDDER, name, null, notNull("config", config), null);
  }

  /**
   * Like {@link #circuitBreaker(String)}.
   *
   * @param name the name
   * @return the one throttle
   */
  public AdaptiveThrottle adaptiveThrottle(String name) {
    return obtain(ComponentType.ADAPTIVE_THROTTLE, name, null, null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, String)}.
   *
   * @param name the name
   * @param configName a config
   * @return the one throttle
   */
  public AdaptiveThrottle adaptiveThrottle(String name, String configName) {
    return obtain(
        ComponentType.ADAPTIVE_THROTTLE, name, notBlank("configName", configName), null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, CircuitBreakerConfig)}.
   *
   * @param name the name
   * @param config its config
   * @return the one throttle
   */
  public AdaptiveThrottle adaptiveThrottle(String name, AdaptiveThrottleConfig config) {
    return obtain(ComponentType.ADAPTIVE_THROTTLE, name, null, notNull("config", config), null);
  }

  /**
   * Like {@link #circuitBreaker(String)}.
   *
   * @param name the name
   * @return the one governor
   */
  public Governor governor(String name) {
    return obtain(ComponentType.GOVERNOR, name, null, null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, String)}.
   *
   * @param name the name
   * @param configName a config
   * @return the one governor
   */
  public Governor governor(String name, String configName) {
    return obtain(ComponentType.GOVERNOR, name, notBlank("configName", configName), null, null);
  }

  /**
   * Like {@link #circuitBreaker(String, CircuitBreakerConfig)}.
   *
   * @param name the name
   * @param config its config
   * @return the one governor
   */
  public Governor governor(String name, GovernorConfig config) {
    return obtain(ComponentType.GOVERNOR, name, null, notNull("config", config), null);
  }

  /**
   * The queue named {@code name}, created from its config on first use, for elements of {@code
   * elementType}. The registry keeps the element type it was first asked with and refuses another
   * with an {@link IllegalArgumentException}, so that no two parts of a program see one queue as
   * holding different types; {@link #find} gives it as {@code BoundedQueue<?>}.
   *
   * @param <E> the element type
   * @param name the queue's name, not blank
   * @param elementType the class of its elements
   * @return the one queue of that name
   */
  public <E> BoundedQueue<E> queue(String name, Class<E> elementType) {
    return queue(ComponentType.QUEUE, name, null, null, notNull("elementType", elementType));
  }

  /**
   * Like {@link #queue(String, Class)}, from a named config.
   *
   * @param <E> the element type
   * @param name the name
   * @param elementType the element class
   * @param configName a config
   * @return the one queue
   */
  public <E> BoundedQueue<E> queue(String name, Class<E> elementType, String configName) {
    return queue(
        ComponentType.QUEUE,
        name,
        notBlank("configName", configName),
        null,
        notNull("elementType", elementType));
  }

  /**
   * Like {@link #queue(String, Class)}, from a config object.
   *
   * @param <E> the element type
   * @param name the name
   * @param elementType the element class
   * @param config its config
   * @return the one queue
   */
  public <E> BoundedQueue<E> queue(String name, Class<E> elementType, BoundedQueueConfig config) {
    return queue(
        ComponentType.QUEUE,
        name,
        null,
        notNull("config", config),
        notNull("elementType", elementType));
  }

  @SuppressWarnings("unchecked") // the entry's element type was checked to be E
  private <E> BoundedQueue<E> queue(
      ComponentType<BoundedQueue<?>, BoundedQueueConfig> type,
      String name,
      @Nullable String configName,
      @Nullable BoundedQueueConfig config,
      Class<E> elementType) {
    return (BoundedQueue<E>) obtain(type, name, configName, config, elementType);
  }

  /**
   * The component of {@code type} named {@code name}, if the registry holds one; creates nothing.
   *
   * @param <X> the component type
   * @param type its pattern
   * @param name its name
   * @return the component, or empty
   */
  public <X> Optional<X> find(ComponentType<X, ?> type, String name) {
    notNull("type", type);
    Entry e = byType.get(type.index).get(notNull("name", name));
    return e == null ? Optional.empty() : Optional.of(type.cast(e.component));
  }

  /**
   * A health snapshot of every live component: is this instance accepting work, and how is each
   * component doing. See {@link HealthSnapshot}.
   *
   * @return the snapshot, taken now
   */
  public HealthSnapshot health() {
    return HealthSnapshot.of(components());
  }

  /**
   * Every live component, of every pattern: a snapshot, for health checks and metrics.
   *
   * @return the components, by pattern then by name
   */
  public Collection<Object> components() {
    List<Object> all = new ArrayList<>();
    for (ComponentType<?, ?> type : ComponentType.values()) {
      all.addAll(components(type));
    }
    return all;
  }

  /**
   * The live components of one pattern: a snapshot.
   *
   * @param <X> the component type
   * @param type the pattern
   * @return the components, by name
   */
  public <X> List<X> components(ComponentType<X, ?> type) {
    List<X> all = new ArrayList<>();
    ConcurrentHashMap<String, Entry> map = byType.get(notNull("type", type).index);
    for (String n : new TreeSet<>(map.keySet())) {
      Entry e = map.get(n);
      if (e != null) {
        all.add(type.cast(e.component));
      }
    }
    return all;
  }

  /**
   * The names of the live components of one pattern: a sorted snapshot.
   *
   * @param type the pattern
   * @return the names
   */
  public Set<String> names(ComponentType<?, ?> type) {
    return new TreeSet<>(byType.get(notNull("type", type).index).keySet());
  }

  /**
   * The resolved config named {@code configName} of one pattern.
   *
   * @param <C> the config type
   * @param type the pattern
   * @param configName a config name, such as {@code default}
   * @return the config
   * @throws IllegalArgumentException when there is none, naming the closest
   */
  public <C> C config(ComponentType<?, C> type, String configName) {
    return configs.named(notNull("type", type), notNull("configName", configName));
  }

  /**
   * The names of one pattern's configs, {@code default} first.
   *
   * @param type the pattern
   * @return the names
   */
  public Set<String> configNames(ComponentType<?, ?> type) {
    return Set.copyOf(configs.names(notNull("type", type)));
  }

  /**
   * Removes the component of {@code type} named {@code name} and closes it when it has a {@code
   * close()} (thread-pool bulkheads, timeouts, queues); a later request for the name creates a new
   * one. Listeners hear {@link RegistryListener#onRemoved}.
   *
   * @param type its pattern
   * @param name its name
   * @return whether there was one
   */
  public boolean remove(ComponentType<?, ?> type, String name) {
    notNull("type", type);
    notNull("name", name);
    Entry removed;
    lock.lock();
    try {
      removed = byType.get(type.index).remove(name);
      if (removed != null) {
        size--;
      }
    } finally {
      lock.unlock();
    }
    if (removed == null) {
      return false;
    }
    retire(removed);
    return true;
  }

  /**
   * Removes and closes every component, telling listeners of each; later requests for a component
   * are refused with {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    List<Entry> all = new ArrayList<>();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (ConcurrentHashMap<String, Entry> map : byType) {
        all.addAll(map.values());
        map.clear();
      }
      size = 0;
    } finally {
      lock.unlock();
    }
    all.forEach(this::retire);
  }

  /**
   * Re-reads the registry's properties, as after an operator edited the file, and gives every
   * existing component whose config they change its new config through its {@code reconfigure},
   * which keeps its state where the new config allows it (see {@code docs/reconfiguration.md}).
   * Components created from now on start from the new configs; configs given in code stay the base
   * they were. A component the new properties do not change keeps its config, including any change
   * made at run time through {@link #commands()}.
   *
   * <p>All or nothing: every new config is parsed and built first, and an unknown key, a bad value
   * or a config that no longer exists refuses the whole reload, naming the key and value, before
   * anything changes. A component that refuses its new config (a setting that cannot change at run
   * time, such as a queue's overflow) also refuses the reload: the components already given their
   * new configs by it get their previous ones back, and the registry keeps its old properties.
   * Reloads and creation run one at a time. Logs one INFO line with what changed.
   *
   * @param properties every {@code ballast.*} key, as {@link Builder#properties(Map)} takes them
   * @return what changed, one line per reconfigured component ({@code circuitbreaker 'inventory':
   *     failureRateThreshold=0.5->0.3}), empty when no component changed
   * @throws IllegalArgumentException when the reload is refused, naming why; nothing changed
   */
  public List<String> reload(Map<String, String> properties) {
    Configs next = new Configs(code, PropertySource.read(PropertySource.copy(properties)));
    lock.lock();
    try {
      List<Entry> all = new ArrayList<>();
      byType.forEach(m -> all.addAll(m.values()));
      List<String> changed = Reload.apply(name, configs, next, all);
      configs = next;
      return changed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Like {@link #reload(Map)}, from {@link Properties} (string keys and values only).
   *
   * @param properties keys and values
   * @return what changed, one line per reconfigured component
   */
  public List<String> reload(Properties properties) {
    return reload(PropertySource.copy(properties));
  }

  /**
   * Adds a listener that hears components being added and removed.
   *
   * @param listener the listener
   * @return the subscription that removes it
   * @throws IllegalStateException when the registry has {@link Listeners#MAX} listeners already
   */
  public Subscription addListener(RegistryListener listener) {
    return listeners.add(listener);
  }

  /**
   * The run-time commands, by component name: reset, force open, resize, retime, pause...
   *
   * @return this registry's commands
   */
  public RegistryCommands commands() {
    return commands;
  }

  /**
   * @return the registry's name, for logs
   */
  public String name() {
    return name;
  }

  /**
   * @return the most components this registry holds
   */
  public int maxInstances() {
    return maxInstances;
  }

  /**
   * @return the components it holds now
   */
  public int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /**
   * @return {@code BallastRegistry[name=.., components=n/max]}
   */
  @Override
  public String toString() {
    return "BallastRegistry[name=" + name + ", components=" + size() + "/" + maxInstances + "]";
  }

  private <X, C> X obtain(
      ComponentType<X, C> type,
      String name,
      @Nullable String configName,
      @Nullable C config,
      @Nullable Class<?> elementType) {
    notBlank("name", name);
    Entry e = byType.get(type.index).get(name);
    if (e == null) {
      e = create(type, name, configName, config, elementType);
    } else {
      e.check(configName, config, elementType);
    }
    return type.cast(e.component);
  }

  private <X, C> Entry create(
      ComponentType<X, C> type,
      String name,
      @Nullable String configName,
      @Nullable C config,
      @Nullable Class<?> elementType) {
    Entry added;
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("registry '" + this.name + "' is closed");
      }
      Entry existing = byType.get(type.index).get(name);
      if (existing != null) {
        existing.check(configName, config, elementType);
        return existing;
      }
      if (size >= maxInstances) {
        throw new IllegalStateException(
            "registry '"
                + this.name
                + "' holds its maximum of "
                + maxInstances
                + " components (maxInstances); cannot add "
                + type.key()
                + " '"
                + name
                + "'");
      }
      C resolved = configs.forInstance(type, name, configName, config);
      String madeFrom =
          configName != null
              ? configName
              : config == null ? configs.baseName(type, name, null) : null;
      X component = type.create(name, resolved);
      added = new Entry(type, name, component, config, configName, madeFrom, elementType);
      byType.get(type.index).put(name, added);
      size++;
    } finally {
      lock.unlock();
    }
    LOG.debug("registry={} added {}", this.name, added.what());
    listeners.emit(ADDED, added, null, 0, 0);
    return added;
  }

  private void retire(Entry e) {
    try {
      if (e.component instanceof AutoCloseable c) {
        c.close();
      } else if (e.component instanceof BoundedQueue<?> q) {
        q.close();
      }
    } catch (Exception failure) {
      LOG.warn("registry={} closing {} failed", name, e.what(), failure);
    }
    LOG.debug("registry={} removed {}", name, e.what());
    listeners.emit(REMOVED, e, null, 0, 0);
  }

  Entry entry(ComponentType<?, ?> type, String componentName) {
    notBlank("name", componentName);
    Entry e = byType.get(type.index).get(componentName);
    if (e == null) {
      Set<String> known = names(type);
      throw new IllegalArgumentException(
          "registry '"
              + name
              + "' holds no "
              + type.key()
              + " named '"
              + componentName
              + "'"
              + (known.isEmpty()
                  ? " (it holds no " + type.key() + ")"
                  : Values.didYouMean(componentName, known)));
    }
    return e;
  }

  /**
   * Settings of a {@link BallastRegistry}: its name, its bound, configs given in code, and
   * properties. Not thread-safe.
   */
  public static final class Builder {
    private String name = "default";
    private int maxInstances = DEFAULT_MAX_INSTANCES;
    private final Map<ComponentType<?, ?>, Map<String, Object>> code = new HashMap<>();
    private @Nullable Map<String, String> given;
    private Map<String, String> properties = Map.of();

    private Builder() {}

    /**
     * The registry's name, in logs and messages.
     *
     * @param name not blank; default {@code default}
     * @return this builder
     */
    public Builder name(String name) {
      this.name = notBlank("name", name);
      return this;
    }

    /**
     * The most components the registry holds; one more is refused, naming the limit.
     *
     * @param maxInstances at least 1; default {@value BallastRegistry#DEFAULT_MAX_INSTANCES}
     * @return this builder
     */
    public Builder maxInstances(int maxInstances) {
      this.maxInstances = positive("maxInstances", maxInstances);
      return this;
    }

    /**
     * A named config given in code: {@code default} replaces the pattern's defaults; properties of
     * the same name refine it.
     *
     * @param <C> the config type
     * @param type the pattern
     * @param configName not blank
     * @param config the config
     * @return this builder
     * @throws IllegalStateException when a config of that pattern and name was given already
     */
    public <C> Builder config(ComponentType<?, C> type, String configName, C config) {
      notNull("type", type);
      notBlank("configName", configName);
      notNull("config", config);
      Object earlier =
          code.computeIfAbsent(type, t -> new HashMap<>()).putIfAbsent(configName, config);
      if (earlier != null) {
        throw new IllegalStateException(
            type.key() + " config '" + configName + "' was already given");
      }
      return this;
    }

    /**
     * Configs and instance settings from properties: every {@code ballast.*} key (see {@code
     * docs/operating.md}); other keys are ignored. Checked by {@link #build()}.
     *
     * @param properties keys and values
     * @return this builder
     * @throws IllegalStateException when properties were given already
     */
    public Builder properties(Map<String, String> properties) {
      Map<String, String> copy = PropertySource.copy(properties);
      if (given != null) {
        throw new IllegalStateException("properties were already given");
      }
      this.given = copy;
      this.properties = copy;
      return this;
    }

    /**
     * Like {@link #properties(Map)}, from {@link Properties} (string keys and values only).
     *
     * @param properties keys and values
     * @return this builder
     */
    public Builder properties(Properties properties) {
      return properties(PropertySource.copy(properties));
    }

    /**
     * Builds the registry, resolving every config and every instance's settings now.
     *
     * @return a new registry
     * @throws IllegalArgumentException on an unknown key, a bad value, an unknown config or a cycle
     *     of {@code base-config}s, naming the key
     */
    public BallastRegistry build() {
      return new BallastRegistry(this);
    }
  }
}
