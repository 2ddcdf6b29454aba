package dev.ballast.registry;

import org.jspecify.annotations.Nullable;

/**
 * One component in a registry, with what it was made from: the config object given in code, or the
 * config name asked for (or used, when it was asked for by name alone), and what it was asked with,
 * from which a reload resolves its config again. Immutable.
 */
final class Entry {
  final ComponentType<?, ?> type;
  final String name;
  final Object component;
  private final @Nullable Object configObject;
  private final @Nullable String askedName;
  private final @Nullable String configName;
  private final @Nullable Class<?> elementType;

  Entry(
      ComponentType<?, ?> type,
      String name,
      Object component,
      @Nullable Object configObject,
      @Nullable String askedName,
      @Nullable String configName,
      @Nullable Class<?> elementType) {
    this.type = type;
    this.name = name;
    this.component = component;
    this.configObject = configObject;
    this.askedName = askedName;
    this.configName = configName;
    this.elementType = elementType;
  }

  /**
   * Refuses a second request for this name that asks for something else than what made it: another
   * config name, another config object, another queue element type. A request by name alone asks
   * for nothing and always gets the existing component.
   */
  void check(
      @Nullable String askedName, @Nullable Object askedObject, @Nullable Class<?> askedElements) {
    if (askedElements != null && elementType != null && askedElements != elementType) {
      throw new IllegalArgumentException(
          what()
              + " exists already with elements of "
              + elementType.getName()
              + "; asked again with elements of "
              + askedElements.getName());
    }
    if (askedName != null && !askedName.equals(configName)) {
      throw new IllegalStateException(
          what()
              + " exists already, "
              + madeFrom()
              + "; asked again with config '"
              + askedName
              + "'. Ask by name alone for the existing one, or remove it first");
    }
    if (askedObject != null && askedObject != configObject) {
      throw new IllegalStateException(
          what()
              + " exists already, "
              + madeFrom()
              + "; asked again with another "
              + type.configType().getSimpleName()
              + " object. Ask by name alone for the existing one, or remove it first");
    }
  }

  private String madeFrom() {
    return configName != null
        ? "made from config '" + configName + "'"
        : "made from a " + type.configType().getSimpleName() + " object";
  }

  /** The config object it was asked with, if any: the base of its config on a reload. */
  @Nullable Object configObject() {
    return configObject;
  }

  /** The config name it was asked with, if any (not the one it fell back to). */
  @Nullable String askedName() {
    return askedName;
  }

  String what() {
    return type.key() + " '" + name + "'";
  }
}
