package dev.ballast.registry;

import static dev.ballast.internal.Preconditions.notNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ballast.*} properties read into layers: per pattern, the named configs ({@code
 * ballast.<pattern>.configs.<name>.<key>}) and the instances' overrides ({@code
 * ballast.<pattern>.instances.<name>.<key>}). Reading checks every key against the {@link KeyTable}
 * and refuses an unknown one, naming the closest valid key; values are read later, when a layer is
 * applied, so that a bad value is reported with its key. Keys outside {@code ballast.} are not
 * Ballast's and are ignored. Immutable once read.
 */
final class PropertySource {
  static final String PREFIX = "ballast.";
  static final String CONFIGS = "configs";
  static final String INSTANCES = "instances";

  /** In a config: the config it inherits from ({@code default} unless set). */
  static final String BASE_CONFIG = "base-config";

  /** In an instance: the config it starts from ({@code default} unless set). */
  static final String CONFIG = "config";

  /** One key's value, bound to its option. */
  record Setting(String key, Option option, @Nullable String subName, String value) {}

  /** The settings of one config or one instance, and the config it starts from if named. */
  static final class Layer {
    @Nullable String base;
    @Nullable String baseKey;
    final List<Setting> settings = new ArrayList<>();
  }

  static final PropertySource EMPTY = new PropertySource();

  private final Map<ComponentType<?, ?>, Map<String, Layer>> configs = new HashMap<>();
  private final Map<ComponentType<?, ?>, Map<String, Layer>> instances = new HashMap<>();

  private PropertySource() {}

  /**
   * Reads the {@code ballast.*} entries of {@code properties}, in key order.
   *
   * @throws IllegalArgumentException on an unknown key, naming it and the closest valid key
   */
  static PropertySource read(Map<String, String> properties) {
    PropertySource source = new PropertySource();
    for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
      String key = e.getKey().strip();
      if (key.startsWith(PREFIX)) {
        source.add(key, e.getValue());
      }
    }
    return source;
  }

  /** A copy of {@code properties}; a null key or value is refused, naming it. */
  static Map<String, String> copy(Map<String, String> properties) {
    notNull("properties", properties);
    Map<String, String> copy = new HashMap<>();
    properties.forEach((k, v) -> copy.put(notNull("property key", k), notNull("value of " + k, v)));
    return copy;
  }

  /** The string keys and values of {@code properties}. */
  static Map<String, String> copy(Properties properties) {
    notNull("properties", properties);
    Map<String, String> copy = new HashMap<>();
    for (String k : properties.stringPropertyNames()) {
      copy.put(k, properties.getProperty(k));
    }
    return copy;
  }

  Map<String, Layer> configs(ComponentType<?, ?> type) {
    return configs.getOrDefault(type, Map.of());
  }

  @Nullable Layer instance(ComponentType<?, ?> type, String name) {
    return instances.getOrDefault(type, Map.of()).get(name);
  }

  Map<String, Layer> instances(ComponentType<?, ?> type) {
    return instances.getOrDefault(type, Map.of());
  }

  private void add(String key, String value) {
    String[] s = key.substring(PREFIX.length()).split("\\.", 4);
    ComponentType<?, ?> type = null;
    for (ComponentType<?, ?> t : ComponentType.values()) {
      if (t.key().equals(s[0])) {
        type = t;
      }
    }
    if (type == null) {
      List<String> patterns = new ArrayList<>();
      ComponentType.values().forEach(t -> patterns.add(t.key()));
      String closest = Values.closest(s[0], patterns);
      throw unknown(key, "no pattern '" + s[0] + "'", replace(key, 0, closest));
    }
    if (s.length < 4 || s[2].isBlank() || s[3].isBlank()) {
      throw new IllegalArgumentException(
          "unknown key '"
              + key
              + "': expected ballast."
              + type.key()
              + ".configs.<name>.<option> or ballast."
              + type.key()
              + ".instances.<name>.<option>");
    }
    boolean config = s[1].equals(CONFIGS);
    if (!config && !s[1].equals(INSTANCES)) {
      String closest = Values.closest(s[1], List.of(CONFIGS, INSTANCES));
      throw unknown(key, "no section '" + s[1] + "'", replace(key, 1, closest));
    }
    Map<ComponentType<?, ?>, Map<String, Layer>> section = config ? configs : instances;
    Layer layer =
        section
            .computeIfAbsent(type, t -> new LinkedHashMap<>())
            .computeIfAbsent(s[2], n -> new Layer());
    String optionKey = s[3];
    String baseKey = config ? BASE_CONFIG : CONFIG;
    if (optionKey.equals(baseKey)) {
      String base = value.strip();
      if (base.isEmpty()) {
        throw new IllegalArgumentException(key + "='" + value + "': names no config");
      }
      layer.base = base;
      layer.baseKey = key;
      return;
    }
    Option option = KeyTable.find(type, optionKey);
    if (option == null) {
      List<String> valid = new ArrayList<>();
      valid.add(baseKey);
      KeyTable.options(type).forEach(o -> valid.add(o.named() ? o.key() + ".<name>" : o.key()));
      throw unknown(
          key, "no option '" + optionKey + "'", replace(key, 3, Values.closest(optionKey, valid)));
    }
    String subName = option.named() ? optionKey.substring(option.key().length() + 1) : null;
    if (subName != null && subName.isBlank()) {
      throw new IllegalArgumentException("key '" + key + "' names no " + option.key());
    }
    layer.settings.add(new Setting(key, option, subName, value));
  }

  /** {@code key} with its segment {@code index} (after {@code ballast.}) replaced. */
  private static @Nullable String replace(String key, int index, @Nullable String segment) {
    if (segment == null) {
      return null;
    }
    String[] s = key.substring(PREFIX.length()).split("\\.", 4);
    s[index] = segment;
    return PREFIX + String.join(".", s);
  }

  private static IllegalArgumentException unknown(
      String key, String why, @Nullable String closest) {
    return new IllegalArgumentException(
        "unknown key '"
            + key
            + "' ("
            + why
            + ")"
            + (closest == null ? "" : "; the closest valid key is '" + closest + "'"));
  }
}
