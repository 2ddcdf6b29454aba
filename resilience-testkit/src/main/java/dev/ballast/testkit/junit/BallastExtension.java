package dev.ballast.testkit.junit;

import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.ManualTicker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that injects virtual time into a test: a {@link ManualTicker} and a {@link
 * ManualScheduler} running on that same ticker, as parameters of the test method, of its
 * {@code @BeforeEach} and {@code @AfterEach} methods and of the test class's constructor.
 *
 * <pre>{@code
 * @ExtendWith(BallastExtension.class)
 * final class RetryTest {
 *   @Test
 *   void retriesAfterTheBackoff(ManualScheduler scheduler, ManualTicker ticker) {
 *     // build the component under test on scheduler; ticker.advance(...) runs its timers
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a new pair, reading zero, shared by everything resolved for that test (its
 * constructor too, under the default per-method test instance lifecycle); under
 * {@code @TestInstance(PER_CLASS)} the constructor's pair is the class's and the tests share it.
 * The scheduler is closed when the test ends (its pending tasks are dropped).
 *
 * <p>Thread-safe and stateless: the pair lives in the test's {@link ExtensionContext.Store}.
 */
// Exposes JUnit's types while the module requires org.junit.jupiter.api static and not transitive
// (module-info says why): the exports lint is silenced for this class only.
@SuppressWarnings("exports")
public final class BallastExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BallastExtension.class);

  /** Creates the extension; JUnit calls this for {@code @ExtendWith(BallastExtension.class)}. */
  public BallastExtension() {}

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == ManualTicker.class || type == ManualScheduler.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    VirtualTime time =
        extensionContext
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(VirtualTime.class, k -> new VirtualTime(), VirtualTime.class);
    return parameterContext.getParameter().getType() == ManualTicker.class
        ? time.scheduler.ticker()
        : time.scheduler;
  }

  /** Resolves constructor parameters in the test's context, so each test gets its own pair. */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(
      ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  /** One test's ticker and scheduler; the store closes it when the test ends. */
  private static final class VirtualTime implements AutoCloseable {
    final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());

    @Override
    public void close() {
      scheduler.close();
    }
  }
}
