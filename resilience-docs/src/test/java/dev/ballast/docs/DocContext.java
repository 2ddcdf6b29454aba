package dev.ballast.docs;

import dev.ballast.BackOffHint;
import dev.ballast.Gate;
import dev.ballast.bulkhead.Bulkhead;
import dev.ballast.circuitbreaker.CircuitBreaker;
import dev.ballast.fallback.Fallback;
import dev.ballast.governor.Governor;
import dev.ballast.queue.BoundedQueue;
import dev.ballast.ratelimiter.RateLimiter;
import dev.ballast.retry.Retry;
import dev.ballast.shed.AdaptiveThrottle;
import dev.ballast.shed.LoadShedder;
import dev.ballast.testkit.ManualScheduler;
import dev.ballast.testkit.ManualTicker;
import dev.ballast.timeout.Timeout;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What the docs' code fragments assume: the application's own types (an {@link Item}, a {@link
 * Price}, an HTTP-ish {@link Request} and {@link Response}), a {@link #client} that fetches them,
 * the components a page built earlier ({@link #breaker}, {@link #retry}, {@link #timeout}, {@link
 * #fallback}...), a Micrometer {@link #registry}, and the few helpers the examples call ({@link
 * #render}, {@link #alert}...).
 *
 * <p>Every fragment is compiled as the body of a method of a subclass, so it can use these names as
 * they are, and declare its own locals over them. Nothing here is ever run: only compiled. Add a
 * name here only when a doc needs it and it reads naturally in the doc; a Ballast name never goes
 * here (the doc must use the real one).
 */
public abstract class DocContext {

  // ---- the application's types -------------------------------------------------------------

  /** What the inventory service returns. */
  public interface Item {}

  /** What the pricing service returns. */
  public static final class Price {
    /** A price that says "unknown for now". */
    public static Price unavailable(String sku) {
      return new Price();
    }
  }

  /** What the quotes service returns. */
  public interface Quote {}

  /** A request to a remote service. */
  public interface Request {}

  /** A response from a remote service. */
  public interface Response {
    int status();
  }

  /** The remote service's client: the integration point every example guards. */
  public interface Client {
    Item get(String id) throws IOException;

    CompletionStage<Item> getAsync(String id);

    Price price(String sku) throws IOException;

    CompletionStage<Quote> quoteAsync(String symbol);

    Response send(Request request) throws IOException;
  }

  /** An interceptor chain (OkHttp-style), for the library-author example. */
  public interface Chain {
    Response proceed(Request request) throws IOException;
  }

  /** Somebody to tell. */
  public interface Pager {
    void notify(String message);
  }

  /** What a dependency throws when it will never serve this caller again. */
  public static final class AccountLockedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Counters by key, as an application keeps them. */
  public interface Counters {
    void increment(String key);
  }

  // ---- what the examples use -----------------------------------------------------------------

  protected Client client;
  protected Supplier<Item> realClient;
  protected String id;
  protected String sku;
  protected String symbol;
  protected Request request;
  protected Chain chain;

  protected CircuitBreaker breaker;
  protected Bulkhead bulkhead;
  protected Retry retry;
  protected Timeout timeout;
  protected Timeout totalTimeout;
  protected Timeout attemptTimeout;
  protected Timeout overall;
  protected Timeout attempt;
  protected Fallback<Price> fallback;
  protected Gate gate;
  protected BackOffHint fromHttp;
  protected LoadShedder shedder;
  protected AdaptiveThrottle throttle;
  protected Governor governor;
  protected RateLimiter limiter;
  protected BoundedQueue<String> queue;

  protected ManualTicker ticker;
  protected ManualScheduler scheduler;
  protected MeterRegistry registry;

  protected Logger log;
  protected Pager pager;
  protected Counters degraded;
  protected LongAdder slowCalls;
  protected Map<String, Price> lastKnown;

  protected void render(Item item) {}

  protected void renderWithoutStock() {}

  protected void renderWithoutStock(java.util.Optional<Duration> retryAfter) {}

  protected void alert(String message) {}
}
