package dev.ballast.registry;

import org.jspecify.annotations.Nullable;

/**
 * One property key of one pattern's config: the key (the kebab-case of its builder method), the
 * builder method it calls, the form its value takes, and how to apply a value to a builder. A key
 * with a sub-name ({@code partition.checkout}, {@code action.scale-up}) has {@link #named()} set
 * and takes the sub-name as the builder method's first argument. Immutable.
 */
final class Option {
  /** Applies one value to a builder. */
  @FunctionalInterface
  interface Apply<B> {
    void apply(B builder, @Nullable String subName, String value);
  }

  private final String key;
  private final String method;
  private final String form;
  private final boolean named;
  private final Class<?> builderType;
  private final Apply<Object> apply;

  private <B> Option(
      Class<B> builderType, String key, String method, String form, boolean named, Apply<B> apply) {
    this.key = key;
    this.method = method;
    this.form = form;
    this.named = named;
    this.builderType = builderType;
    this.apply = (b, sub, value) -> apply.apply(builderType.cast(b), sub, value);
  }

  /** A key whose value is the builder method's argument(s). */
  static <B> Option of(Class<B> builder, String method, String form, Apply<B> apply) {
    return new Option(builder, kebab(method), method, form, false, apply);
  }

  /** A key {@code <kebab>.<subName>} whose sub-name is the builder method's first argument. */
  static <B> Option named(Class<B> builder, String method, String form, Apply<B> apply) {
    return new Option(builder, kebab(method), method, form, true, apply);
  }

  /** {@code leakyBucket} to {@code leaky-bucket}. */
  static String kebab(String method) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (Character.isUpperCase(c)) {
        s.append('-').append(Character.toLowerCase(c));
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }

  /** The key after the config or instance name, such as {@code failure-rate-threshold}. */
  String key() {
    return key;
  }

  /** The key as the docs show it: {@code partition.<name>} for a named key. */
  String shownKey() {
    return named ? key + ".<name>" : key;
  }

  String method() {
    return method;
  }

  String form() {
    return form;
  }

  boolean named() {
    return named;
  }

  Class<?> builderType() {
    return builderType;
  }

  void apply(Object builder, @Nullable String subName, String value) {
    apply.apply(builder, subName, value);
  }
}
