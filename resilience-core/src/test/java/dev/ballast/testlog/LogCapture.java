package dev.ballast.testlog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of core's tests: keeps every log line in memory so tests can assert what
 * operators would read, and echoes WARN and above to standard error.
 */
public final class LogCapture implements SLF4JServiceProvider {

  /** One logged line. */
  public record Line(String logger, Level level, String message, @Nullable Throwable error) {}

  private static final List<Line> LINES = new CopyOnWriteArrayList<>();
  private static final int LIMIT = 100_000;

  private final ILoggerFactory factory = CapturingLogger::new;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /**
   * The lines logged by loggers whose name starts with {@code prefix} since the last clear.
   *
   * @param prefix a logger name prefix
   * @return a copy of the lines
   */
  public static List<Line> lines(String prefix) {
    List<Line> out = new ArrayList<>();
    for (Line l : LINES) {
      if (l.logger().startsWith(prefix)) {
        out.add(l);
      }
    }
    return out;
  }

  /** Forgets every captured line. */
  public static void clear() {
    LINES.clear();
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** Captures every level. */
  static final class CapturingLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return CapturingLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level,
        @Nullable Marker marker,
        String pattern,
        @Nullable Object[] args,
        @Nullable Throwable error) {
      String message = MessageFormatter.basicArrayFormat(pattern, args);
      if (LINES.size() < LIMIT) {
        LINES.add(new Line(name, level, message, error));
      }
      if (level.toInt() >= Level.WARN.toInt()) {
        System.err.println(level + " " + name + " " + message);
      }
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }

  /** Keeps the logger factory type visible to the compiler. */
  static Logger logger(String name) {
    return new CapturingLogger(name);
  }
}
