package dev.ballast.registry;

import dev.ballast.registry.PropertySource.Layer;
import dev.ballast.registry.PropertySource.Setting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The named configs of a registry, resolved once when it is built: per pattern, {@code default}
 * (the pattern's defaults, or the config given in code under that name) and every named config,
 * each the config it inherits from ({@code base-config}, else {@code default}) with its own
 * settings applied. A config given in code is the base of the properties of the same name. Builds
 * every instance's config too, so that a bad value or an unknown config is found when the registry
 * is built, not when the component is first asked for. Immutable once built; thread-safe.
 */
final class Configs {
  static final String DEFAULT = "default";

  private final Map<ComponentType<?, ?>, Map<String, Object>> resolved = new HashMap<>();
  private final Map<ComponentType<?, ?>, Map<String, Object>> code;
  private final PropertySource source;

  Configs(Map<ComponentType<?, ?>, Map<String, Object>> code, PropertySource source) {
    this.code = code;
    this.source = source;
    for (ComponentType<?, ?> type : ComponentType.values()) {
      resolved.put(type, new LinkedHashMap<>());
      Set<String> names = new LinkedHashSet<>();
      names.add(DEFAULT);
      names.addAll(code.getOrDefault(type, Map.of()).keySet());
      names.addAll(source.configs(type).keySet());
      for (String name : names) {
        resolve(type, name, new ArrayList<>());
      }
    }
    for (ComponentType<?, ?> type : ComponentType.values()) {
      for (String instance : source.instances(type).keySet()) {
        forInstance(type, instance, null, null);
      }
    }
  }

  /** The names of one pattern's configs, {@code default} first. */
  Set<String> names(ComponentType<?, ?> type) {
    return mapOf(type).keySet();
  }

  /**
   * The config named {@code name}.
   *
   * @throws IllegalArgumentException when there is none, naming the closest
   */
  <C> C named(ComponentType<?, C> type, String name) {
    Object c = mapOf(type).get(name);
    if (c == null) {
      throw new IllegalArgumentException(
          "no "
              + type.key()
              + " config named '"
              + name
              + "'"
              + Values.didYouMean(name, names(type)));
    }
    return type.castConfig(c);
  }

  /**
   * The config of a new instance: its base is the config object given in code, else the config its
   * properties name ({@code instances.<name>.config}), else the config name given in code, else
   * {@code default}; the instance's own settings apply on top.
   */
  <C> C forInstance(
      ComponentType<?, C> type, String instance, @Nullable String configName, @Nullable C config) {
    Layer layer = source.instance(type, instance);
    C base;
    if (config != null) {
      base = config;
    } else {
      String layerBase = layer == null ? null : layer.base;
      String name = layerBase != null ? layerBase : configName != null ? configName : DEFAULT;
      try {
        base = named(type, name);
      } catch (IllegalArgumentException e) {
        String key = layer == null ? null : layer.baseKey;
        throw key == null ? e : new IllegalArgumentException(key + ": " + e.getMessage(), e);
      }
    }
    if (layer == null || layer.settings.isEmpty()) {
      return base;
    }
    return apply(type, base, layer, PropertySource.PREFIX + type.key() + ".instances." + instance);
  }

  /** The name of the config a new instance starts from when no config object is given. */
  String baseName(ComponentType<?, ?> type, String instance, @Nullable String configName) {
    Layer layer = source.instance(type, instance);
    String layerBase = layer == null ? null : layer.base;
    return layerBase != null ? layerBase : configName != null ? configName : DEFAULT;
  }

  private Map<String, Object> mapOf(ComponentType<?, ?> type) {
    Map<String, Object> m = resolved.get(type);
    if (m == null) {
      throw new IllegalStateException("no configs for " + type);
    }
    return m;
  }

  private Object resolve(ComponentType<?, ?> type, String name, List<String> path) {
    Map<String, Object> done = mapOf(type);
    Object ready = done.get(name);
    if (ready != null) {
      return ready;
    }
    if (path.contains(name)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      throw new IllegalArgumentException(
          "ballast."
              + type.key()
              + ".configs: base-config inheritance has a cycle: "
              + String.join(" -> ", cycle));
    }
    path.add(name);
    Object result = resolveUncached(type, name, path);
    path.remove(path.size() - 1);
    done.put(name, result);
    return result;
  }

  private <C> C resolveUncached(ComponentType<?, C> type, String name, List<String> path) {
    Layer layer = source.configs(type).get(name);
    Object inCode = code.getOrDefault(type, Map.of()).get(name);
    C base;
    if (inCode != null) {
      if (layer != null && layer.base != null) {
        throw new IllegalArgumentException(
            layer.baseKey
                + ": config '"
                + name
                + "' is given in code, which is its base; it cannot inherit from another");
      }
      base = type.castConfig(inCode);
    } else if (layer != null && layer.base != null) {
      String baseName = layer.base;
      Set<String> known = new LinkedHashSet<>();
      known.add(DEFAULT);
      known.addAll(code.getOrDefault(type, Map.of()).keySet());
      known.addAll(source.configs(type).keySet());
      if (!known.contains(baseName)) {
        throw new IllegalArgumentException(
            layer.baseKey
                + "="
                + baseName
                + ": no "
                + type.key()
                + " config named '"
                + baseName
                + "'"
                + Values.didYouMean(baseName, known));
      }
      base = type.castConfig(resolve(type, baseName, path));
    } else if (!name.equals(DEFAULT)) {
      base = type.castConfig(resolve(type, DEFAULT, path));
    } else {
      base = type.defaults();
    }
    if (layer == null || layer.settings.isEmpty()) {
      return base;
    }
    return apply(type, base, layer, PropertySource.PREFIX + type.key() + ".configs." + name);
  }

  /** {@code base} with the layer's settings applied; a bad value names its key and value. */
  static <C> C apply(ComponentType<?, C> type, C base, Layer layer, String where) {
    Object builder = type.toBuilder(base);
    for (Setting s : layer.settings) {
      try {
        s.option().apply(builder, s.subName(), s.value());
      } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
        throw new IllegalArgumentException(s.key() + "=" + s.value() + ": " + e.getMessage(), e);
      }
    }
    try {
      return type.build(builder);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}
