package dev.ballast.registry;

import dev.ballast.internal.Reconfigurer;
import dev.ballast.internal.Reconfigurer.Change;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reload of a registry's properties: works out, for every existing component, the config the
 * old properties gave it and the one the new properties give it, and reconfigures those where the
 * two differ. Every new config is built before any component changes; a component that refuses its
 * new config has the ones changed before it given back their previous configs. Run under the
 * registry's lock; stateless.
 */
final class Reload {
  private static final Logger LOG = LoggerFactory.getLogger(BallastRegistry.class);

  /** A component to reconfigure: its entry, its new config and what changes. */
  private record Step(Entry entry, Object next, List<Change> changes) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(entry.what()).append(':');
      changes.forEach(c -> b.append(' ').append(c));
      return b.toString();
    }
  }

  private Reload() {}

  /**
   * Reconfigures every entry whose config {@code next} changes, all or nothing, by pattern then
   * name.
   *
   * @return one line per reconfigured component
   * @throws IllegalArgumentException when a new config cannot be built or a component refuses it;
   *     every component then has the config it had before
   */
  static List<String> apply(String registry, Configs old, Configs next, List<Entry> entries) {
    List<Entry> ordered = new ArrayList<>(entries);
    ordered.sort(Comparator.comparingInt((Entry e) -> e.type.index).thenComparing(e -> e.name));
    List<Step> steps = new ArrayList<>();
    for (Entry e : ordered) {
      Step step = plan(e.type, e, old, next, registry);
      if (step != null) {
        steps.add(step);
      }
    }
    List<Object> before = new ArrayList<>();
    for (Step s : steps) {
      Object component = s.entry.component;
      Object was = s.entry.type.configOf(component);
      try {
        s.entry.type.reconfigure(component, s.next);
      } catch (RuntimeException refused) {
        undo(steps, before, registry);
        throw new IllegalArgumentException(
            "registry '"
                + registry
                + "': reload refused, the registry keeps its properties: "
                + refused.getMessage()
                + (before.isEmpty()
                    ? ""
                    : "; the "
                        + before.size()
                        + " component(s) reconfigured before it have their previous configs back"),
            refused);
      }
      before.add(was);
    }
    List<String> lines = new ArrayList<>();
    steps.forEach(s -> lines.add(s.toString()));
    LOG.info(
        "registry={} reloaded properties: {}",
        registry,
        lines.isEmpty()
            ? "no component changed"
            : lines.size() + " component(s) reconfigured: " + String.join("; ", lines));
    return List.copyOf(lines);
  }

  private static <X, C> @Nullable Step plan(
      ComponentType<X, C> type, Entry e, Configs old, Configs next, String registry) {
    Object object = e.configObject();
    C given = object == null ? null : type.castConfig(object);
    C was = old.forInstance(type, e.name, e.askedName(), given);
    C now;
    try {
      now = next.forInstance(type, e.name, e.askedName(), given);
    } catch (IllegalArgumentException bad) {
      throw new IllegalArgumentException(
          "registry '"
              + registry
              + "': reload refused, nothing was changed: "
              + e.what()
              + ": "
              + bad.getMessage(),
          bad);
    }
    List<Change> changes = Reconfigurer.diff(was, now);
    return changes.isEmpty() ? null : new Step(e, now, changes);
  }

  /** Gives the components already reconfigured their previous configs back, last first. */
  private static void undo(List<Step> steps, List<Object> before, String registry) {
    for (int i = before.size() - 1; i >= 0; i--) {
      Entry e = steps.get(i).entry;
      try {
        e.type.reconfigure(e.component, before.get(i));
      } catch (RuntimeException failure) {
        LOG.warn(
            "registry={} giving {} its previous config back failed", registry, e.what(), failure);
      }
    }
  }
}
