package dev.ballast.testlog;

import java.util.List;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lines a component's {@code reconfigure} logs, for the reconfiguration tests. Registered as an
 * extension ({@code @RegisterExtension final ReconfigurationLog log = new
 * ReconfigurationLog(X.class);}) it clears {@link LogCapture} before each test.
 */
public final class ReconfigurationLog implements BeforeEachCallback {
  private final Class<?> type;

  /**
   * A log of the lines logged by {@code type}'s logger.
   *
   * @param type the component class whose logger writes the lines
   */
  public ReconfigurationLog(Class<?> type) {
    this.type = type;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    LogCapture.clear();
  }

  /**
   * The lines saying that the component named {@code name} was reconfigured, since the last clear.
   *
   * @param name the component's name
   * @return a copy of the lines
   */
  public List<LogCapture.Line> lines(String name) {
    return lines(type, name);
  }

  /**
   * The lines {@code type}'s logger wrote saying that the component named {@code name} was
   * reconfigured, since the last clear.
   *
   * @param type the component class whose logger writes the lines
   * @param name the component's name
   * @return a copy of the lines
   */
  public static List<LogCapture.Line> lines(Class<?> type, String name) {
    return LogCapture.lines(type.getName()).stream()
        .filter(l -> l.message().contains("name=" + name + " reconfigured"))
        .toList();
  }
}
