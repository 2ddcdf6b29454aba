package dev.ballast.testkit.junit;

import dev.ballast.testkit.harness.Endpoint;
import dev.ballast.testkit.harness.Harness;
import dev.ballast.testkit.harness.Misbehavior;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a misbehaving {@link Harness} for a test class or for each test,
 * and closes it after: register it in a field with {@code @RegisterExtension}.
 *
 * <pre>{@code
 * final class ClientTest {
 *   @RegisterExtension
 *   static final HarnessExtension HARNESS =
 *       HarnessExtension.with(Misbehavior.tcpAcceptThenSilence(), Misbehavior.httpStatus(503));
 *
 *   @Test
 *   void timesOutOnASilentServer() {
 *     int port = HARNESS.port("tcp-accept-then-silence");
 *     // point the client under test at 127.0.0.1:port
 *   }
 * }
 * }</pre>
 *
 * <p>As with WireMock's and MockWebServer's extensions, the field decides the lifecycle:
 *
 * <ul>
 *   <li>in a {@code static} field, one harness serves the whole class (and its {@code @Nested}
 *       classes): started before all its tests, closed after all of them. Before each test the
 *       extension switches every endpoint a previous test switched off back on, so tests do not
 *       leak a healthy port into each other; counters and the request log carry over. Tests that
 *       run concurrently within the class share the switches;
 *   <li>in an instance field, each test gets a new harness, started before its {@code @BeforeEach}
 *       methods and closed after its {@code @AfterEach} methods (or per class under
 *       {@code @TestInstance(PER_CLASS)}).
 * </ul>
 *
 * <p>The harness is also injected into parameters of type {@link Harness} (test and lifecycle
 * methods, and the constructor when the field is static). Register at most one harness extension
 * per class to use injection; with several, call {@link #harness()} on each. Closing frees every
 * port and stops every thread the harness started; the extension also keeps the running harness in
 * the {@link ExtensionContext.Store} of the class or test that started it, so JUnit closes it even
 * if a callback fails.
 *
 * <p>Thread-safe.
 */
// Exposes JUnit's types while the module requires org.junit.jupiter.api static and not transitive
// (module-info says why): the exports lint is silenced for this class only.
@SuppressWarnings("exports")
public final class HarnessExtension
    implements BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterAllCallback,
        ParameterResolver {
  private final ReentrantLock lock = new ReentrantLock(); // not synchronized: virtual threads
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(HarnessExtension.class);

  private final Supplier<Harness> factory;
  private @Nullable Harness harness; // guarded by lock
  private @Nullable String owner; // unique id of the context that started it; guarded by lock
  private boolean perClass; // guarded by lock

  private HarnessExtension(Supplier<Harness> factory) {
    this.factory = factory;
  }

  /**
   * An extension whose harness, bound to the loopback address, serves {@code misbehaviors}, each on
   * a port of its own.
   *
   * @param misbehaviors the misbehaviors; names must be unique (see {@link
   *     Misbehavior#named(String)})
   * @return the extension
   * @throws IllegalArgumentException if two misbehaviors share a name
   */
  public static HarnessExtension with(Misbehavior... misbehaviors) {
    Objects.requireNonNull(misbehaviors, "misbehaviors must not be null");
    List<Misbehavior> list = List.of(misbehaviors);
    Harness.builder().add(misbehaviors); // validates now, not in the first test
    return new HarnessExtension(
        () -> Harness.builder().add(list.toArray(new Misbehavior[0])).build());
  }

  /**
   * An extension whose harness comes from {@code factory}, for a bind address or log capacity other
   * than the defaults: {@code HarnessExtension.of(() -> Harness.builder().bindAddress(a)
   * .add(...).build())}.
   *
   * @param factory returns a new harness, not started, each time it is called
   * @return the extension
   */
  public static HarnessExtension of(Supplier<Harness> factory) {
    return new HarnessExtension(Objects.requireNonNull(factory, "factory must not be null"));
  }

  /**
   * The running harness.
   *
   * @return the harness started for the current class or test
   * @throws IllegalStateException outside a test's lifecycle (before the harness starts or after it
   *     closes)
   */
  public Harness harness() {
    lock.lock();
    try {
      Harness current = harness;
      if (current == null) {
        throw new IllegalStateException(
            "harness not running: HarnessExtension starts it before all tests when registered in a"
                + " static field, before each test when in an instance field");
      }
      return current;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The port of the named endpoint of the running harness.
   *
   * @param name the misbehavior's name
   * @return the port
   * @throws IllegalArgumentException if no endpoint has that name
   * @throws IllegalStateException if the harness is not running
   */
  public int port(String name) {
    return harness().port(name);
  }

  /**
   * The named endpoint of the running harness, to read its counters or switch it.
   *
   * @param name the misbehavior's name
   * @return the endpoint
   * @throws IllegalArgumentException if no endpoint has that name
   * @throws IllegalStateException if the harness is not running
   */
  public Endpoint endpoint(String name) {
    return harness().endpoint(name);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start(context, true);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!start(context, false)) {
      Harness current = harness();
      for (Endpoint endpoint : current.endpoints()) {
        if (!endpoint.enabled()) {
          endpoint.enabled(true);
        }
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stop(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop(context);
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == Harness.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    try {
      return harness();
    } catch (IllegalStateException e) {
      throw new ParameterResolutionException(
          "cannot inject a Harness into " + parameterContext.getDeclaringExecutable(), e);
    }
  }

  /** Starts a harness unless one is running; returns whether it started one. */
  private boolean start(ExtensionContext context, boolean classLevel) {
    lock.lock();
    try {
      if (harness != null) {
        return false;
      }
      Harness started = factory.get().start();
      harness = started;
      owner = context.getUniqueId();
      perClass = classLevel;
      context.getStore(NAMESPACE).put(this, new Lease(this, started));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Closes the harness if {@code context} is the one that started it. */
  private void stop(ExtensionContext context) {
    Harness toClose;
    lock.lock();
    try {
      if (harness == null || !context.getUniqueId().equals(owner)) {
        return;
      }
      toClose = harness;
    } finally {
      lock.unlock();
    }
    release(toClose);
  }

  private void release(Harness started) {
    lock.lock();
    try {
      if (harness == started) {
        harness = null;
        owner = null;
      }
    } finally {
      lock.unlock();
    }
    started.close(); // idempotent
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "HarnessExtension["
          + (harness == null ? "not running" : perClass ? "per class" : "per test")
          + "]";
    } finally {
      lock.unlock();
    }
  }

  /** The store's handle on a started harness: closing it closes the harness. */
  private static final class Lease implements AutoCloseable {
    private final HarnessExtension extension;
    private final Harness harness;

    Lease(HarnessExtension extension, Harness harness) {
      this.extension = extension;
      this.harness = harness;
    }

    @Override
    public void close() {
      extension.release(harness);
    }
  }
}
