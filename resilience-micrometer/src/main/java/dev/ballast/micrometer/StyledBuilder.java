package dev.ballast.micrometer;

import java.util.List;

/**
 * The settings of a binder that can publish under Resilience4j's meter names as well as Ballast's:
 * extra tags and the naming style.
 *
 * <p>Not thread-safe: confine a builder to one thread.
 *
 * @param <B> the public builder, which every setter returns
 */
abstract class StyledBuilder<B extends StyledBuilder<B>> extends BinderBuilder<B> {
  boolean resilience4jNames;

  StyledBuilder(String binder, List<String> reserved) {
    super(binder, reserved);
  }

  /**
   * Publishes under the meter names, tags and units Resilience4j 2.x publishes for the same
   * component ({@code resilience4j.*}), so that dashboards and alerts written for Resilience4j keep
   * working. The binder's description says what differs.
   *
   * @return this builder
   */
  public final B resilience4jNames() {
    this.resilience4jNames = true;
    return self();
  }

  /**
   * Publishes under Ballast's meter names ({@code ballast.*}); the default.
   *
   * @return this builder
   */
  public final B ballastNames() {
    this.resilience4jNames = false;
    return self();
  }
}
